// Build step of the chain module (run by Maven's exec plugin in generate-resources):
// installs the pinned toolchain when needed, then compiles every .sol file of the source folder
// with solcjs into one JSON file (abi + bytecode) per deployable contract.
'use strict';

const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const [moduleDir, sourceDir, outDir] = process.argv.slice(2).map((p) => p && path.resolve(p));
if (!moduleDir || !sourceDir || !outDir) {
  console.error('usage: node compile-solidity.cjs <chain module dir> <solidity source dir> <output dir>');
  process.exit(2);
}

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch (e) {
    return -1;
  }
}

// npm ci wipes node_modules, so run it only when the installed tree is missing or older than the lock file.
function ensureToolchain() {
  const lock = path.join(moduleDir, 'package-lock.json');
  const installed = path.join(moduleDir, 'node_modules', '.package-lock.json');
  if (mtime(installed) >= mtime(lock)) {
    return;
  }
  console.log('[chain] installing the pinned chain toolchain: npm ci --prefix ' + moduleDir);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: moduleDir, stdio: 'inherit' });
}

function compile() {
  const sources = fs.readdirSync(sourceDir).filter((f) => f.endsWith('.sol')).sort();
  if (sources.length === 0) {
    console.log('[chain] no Solidity sources in ' + sourceDir);
    return;
  }
  const stamp = path.join(outDir, '.compiled');
  const newestSource = Math.max(...sources.map((f) => mtime(path.join(sourceDir, f))), mtime(__filename));
  if (mtime(stamp) > newestSource) {
    return;
  }
  const solc = require(path.join(moduleDir, 'node_modules', 'solc'));
  const input = {
    language: 'Solidity',
    sources: Object.fromEntries(sources.map((f) => [f, { content: fs.readFileSync(path.join(sourceDir, f), 'utf8') }])),
    settings: {
      optimizer: { enabled: true, runs: 200 },
      viaIR: true,
      evmVersion: 'cancun',
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
    },
  };
  const started = Date.now();
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const problems = (output.errors || []).filter((e) => e.severity === 'error');
  for (const warning of (output.errors || []).filter((e) => e.severity !== 'error')) {
    console.warn('[chain] ' + warning.formattedMessage.trim());
  }
  if (problems.length > 0) {
    for (const e of problems) {
      console.error(e.formattedMessage.trim());
    }
    process.exit(1);
  }
  fs.mkdirSync(outDir, { recursive: true });
  let written = 0;
  for (const [file, contracts] of Object.entries(output.contracts)) {
    for (const [name, artifact] of Object.entries(contracts)) {
      const json = {
        contractName: name,
        sourceName: file,
        compiler: 'solc ' + solc.version(),
        abi: artifact.abi,
        bytecode: '0x' + artifact.evm.bytecode.object,
        deployedBytecode: '0x' + artifact.evm.deployedBytecode.object,
      };
      fs.writeFileSync(path.join(outDir, name + '.json'), JSON.stringify(json, null, 1));
      written++;
    }
  }
  fs.writeFileSync(stamp, new Date().toISOString() + '\n');
  console.log('[chain] compiled ' + sources.length + ' Solidity file(s) into ' + written + ' artifact(s) in ' + (Date.now() - started) + ' ms');
}

ensureToolchain();
compile();
