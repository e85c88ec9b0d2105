// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {EmissionToken} from "./EmissionToken.sol";
import {YumaEpoch} from "./YumaEpoch.sol";

/// @title Chorus subnets: Bittensor's registration, staking, serving and weight rules on an EVM chain.
/// @notice One contract hosts many subnets keyed by netuid (root netuid 0 is never created).
/// Function signatures of the neuron precompile (0x804) and metagraph precompile (0x802) are kept
/// identical so a client can target either. Hotkeys and coldkeys are EVM addresses; where the
/// precompile takes a bytes32 account, the address sits in its low 20 bytes.
/// Amounts (burn, stake, emission) are in rao: 1 rao = 1 gwei of the native currency, the same
/// 1e9 factor Bittensor's EVM uses between wei and rao.
contract Subnet {
    uint256 public constant WEI_PER_RAO = 1e9;
    uint256 public constant MAX_PENDING_COMMITS = 10;
    uint64 public constant MIN_REVEAL_PERIOD = 1;
    uint64 public constant MAX_REVEAL_PERIOD = 100;
    uint64 public constant MAX_BONDS_MOVING_AVERAGE = 975_000;
    uint16 internal constant MIN_ALPHA = 1638; // 65535 / 40, rounded down: subtensor's floor for alphaLow

    /// Every per-subnet setting the owner may change. Defaults are subtensor's for a new subnet
    /// (see defaultHyperparameters), except allowLoopbackAxons, which only a local chain turns on.
    struct Hyperparameters {
        uint16 tempo;
        uint16 kappa;
        uint64 bondsMovingAverage;
        uint16 bondsPenalty;
        uint64 weightsRateLimit;
        uint64 weightsVersionKey;
        uint16 minAllowedWeights;
        uint16 maxAllowedValidators;
        uint16 maxAllowedUids;
        uint64 immunityPeriod;
        uint64 activityCutoff;
        bool commitRevealEnabled;
        uint64 revealPeriod;
        bool yuma3;
        bool liquidAlpha;
        uint16 alphaLow;
        uint16 alphaHigh;
        int16 alphaSigmoidSteepness;
        uint64 burn;
        uint64 emissionPerEpoch;
        uint64 stakeThreshold;
        uint64 servingRateLimit;
        bool registrationAllowed;
        bool allowLoopbackAxons;
    }

    /// The metagraph precompile's axon tuple.
    struct AxonInfo {
        uint64 block;
        uint32 version;
        uint128 ip;
        uint16 port;
        uint8 ip_type;
        uint8 protocol;
    }

    /// One uid in the batched metagraph view; every field is static so the array decodes as fixed-size rows.
    struct NeuronInfo {
        uint16 uid;
        address hotkey;
        address coldkey;
        uint64 stake;
        AxonInfo axon;
        bool validatorPermit;
        bool active;
        uint64 lastUpdate;
        uint64 registeredAt;
        uint16 consensus;
        uint16 incentive;
        uint16 dividends;
        uint16 validatorTrust;
        uint64 emission;
    }

    struct WeightCommit {
        bytes32 hash;
        uint64 epoch;
        uint64 block;
    }

    /// A subnet's state. Per-uid values live in parallel arrays indexed by uid (length n) so an
    /// epoch reads them column by column; weight and bond rows are sparse (uids, values) pairs.
    struct SubnetState {
        bool exists;
        address owner;
        uint16 n;
        uint64 createdAt;
        uint64 lastEpochBlock; // block of the last epoch, 0 until one has run (subtensor's LastMechansimStepBlock)
        Hyperparameters hp;
        address[] hotkeys;
        uint64[] lastUpdate;
        uint64[] registeredAt;
        bool[] validatorPermit;
        bool[] active;
        // Epoch outputs (u16 proportions, 65535 = 1.0; emission in rao), written by the epoch.
        uint16[] consensus;
        uint16[] incentive;
        uint16[] dividends;
        uint16[] validatorTrust;
        uint64[] emission;
        mapping(uint16 => uint16[]) weightUids;
        mapping(uint16 => uint16[]) weightValues;
        mapping(uint16 => uint16[]) bondUids;
        mapping(uint16 => uint16[]) bondValues;
        mapping(address => uint16) uidPlusOne;
        mapping(address => AxonInfo) axons;
        mapping(address => uint64) stake;
        mapping(address => mapping(address => uint64)) stakeByColdkey;
        // Block of each coldkey's last addStake on a hotkey: stake cannot leave in the block it came in.
        mapping(address => mapping(address => uint64)) stakedAt;
        mapping(address => WeightCommit[]) commits;
        mapping(address => uint256) commitHead;
    }

    uint16 public subnetCount;
    /// What createSubnet takes, in rao; the deployer may change it (setNetworkLockCost). It starts at subtensor's
    /// minimum network lock, 1,000 TAO, so that taking all 65,535 netuids costs some 65 million TAO.
    uint64 public networkLockCost = 1_000e9;
    mapping(uint16 => SubnetState) private subnets;
    /// The coldkey that owns a hotkey, fixed at its first registration anywhere.
    mapping(address => address) public hotkeyOwner;

    // ---- events --------------------------------------------------------------------------------
    /// lockRao: the network lock the creator paid, which the contract keeps.
    event SubnetCreated(uint16 indexed netuid, address indexed owner, uint64 lockRao);
    event NetworkLockCostSet(uint64 rao);
    event HyperparametersSet(uint16 indexed netuid);
    event NeuronRegistered(uint16 indexed netuid, uint16 uid, address indexed hotkey, address indexed coldkey, address replacedHotkey);
    event AxonServed(uint16 indexed netuid, address indexed hotkey, uint128 ip, uint16 port, uint8 ipType, uint8 protocol);
    event StakeAdded(uint16 indexed netuid, address indexed hotkey, address indexed coldkey, uint64 amount, uint64 totalStake);
    event StakeRemoved(uint16 indexed netuid, address indexed hotkey, address indexed coldkey, uint64 amount, uint64 totalStake);
    event ValidatorPermitsUpdated(uint16 indexed netuid, uint16 permitted);
    event WeightsSet(uint16 indexed netuid, uint16 indexed uid);
    event WeightsCommitted(uint16 indexed netuid, address indexed hotkey, bytes32 commitHash, uint64 epoch);
    event WeightsRevealed(uint16 indexed netuid, address indexed hotkey, bytes32 commitHash);
    event EpochRun(uint16 indexed netuid, uint64 block);

    // ---- errors, named as subtensor names them -------------------------------------------------
    error SubnetNotExists();
    error NotSubnetOwner();
    error InvalidHyperparameter(string name);
    error CanNotSetRootNetworkWeights();
    error WeightVecNotEqualSize();
    error UidsLengthExceedUidsInSubNet();
    error HotKeyNotRegisteredInSubNet();
    error NotEnoughStakeToSetWeights();
    error IncorrectWeightVersionKey();
    error SettingWeightsTooFast();
    error NeuronNoValidatorPermit();
    error DuplicateUids();
    error UidVecContainInvalidOne();
    error WeightVecLengthIsLow();
    error CommitRevealEnabled();
    error CommitRevealDisabled();
    error CommittingWeightsTooFast();
    error TooManyUnrevealedCommits();
    error NoWeightsCommitFound();
    error RevealTooEarly();
    error ExpiredWeightCommit();
    error InvalidRevealCommitHashNotMatch();
    error RegistrationNotPermittedOnRootSubnet();
    error SubNetRegistrationDisabled();
    error HotKeyAlreadyRegisteredInSubNet();
    error NonAssociatedColdKey();
    error IncorrectBurnAmount(uint256 expectedWei, uint256 givenWei);
    error IncorrectLockAmount(uint256 expectedWei, uint256 givenWei);
    error NoNeuronIdAvailable();
    error HotKeyNotRegisteredInNetwork();
    error InvalidIpType();
    error InvalidIpAddress();
    error InvalidPort();
    error ServingRateLimitExceeded();
    error AmountTooLow();
    error IncorrectStakeAmount(uint256 expectedWei, uint256 givenWei);
    error NotEnoughStakeToWithdraw();
    error StakingOperationRateLimitExceeded();
    error InvalidRange();
    error UnexpectedValue(uint256 sent);

    // ---- subnets and hyperparameters -----------------------------------------------------------

    /// Subtensor's values for a newly registered subnet (init_new_network over the runtime defaults).
    function defaultHyperparameters() public pure returns (Hyperparameters memory hp) {
        hp.tempo = 360;
        hp.kappa = 32_767;
        hp.bondsMovingAverage = 900_000;
        hp.bondsPenalty = 65_535;
        hp.weightsRateLimit = 100;
        hp.weightsVersionKey = 0;
        hp.minAllowedWeights = 1;
        hp.maxAllowedValidators = 64;
        hp.maxAllowedUids = 256;
        hp.immunityPeriod = 5_000;
        hp.activityCutoff = 5_000;
        hp.commitRevealEnabled = true;
        hp.revealPeriod = 1;
        hp.yuma3 = true;
        hp.liquidAlpha = false;
        hp.alphaLow = 45_875;
        hp.alphaHigh = 58_982;
        hp.alphaSigmoidSteepness = 1_000;
        hp.burn = 1e9;
        hp.emissionPerEpoch = 360e9;
        hp.stakeThreshold = 0;
        hp.servingRateLimit = 50;
        hp.registrationAllowed = true;
        hp.allowLoopbackAxons = false;
    }

    /// Creates a subnet owned by the caller; the caller's address is also the owner hotkey. msg.value must be the
    /// network lock cost in wei. The contract keeps it: subtensor holds a subnet's lock until the subnet is dissolved,
    /// and subnets here are never dissolved.
    function createSubnet(Hyperparameters calldata hp) external payable returns (uint16 netuid) {
        uint64 lockRao = networkLockCost;
        uint256 lock = uint256(lockRao) * WEI_PER_RAO;
        if (msg.value != lock) revert IncorrectLockAmount(lock, msg.value);
        validateHyperparameters(hp);
        netuid = ++subnetCount;
        SubnetState storage s = subnets[netuid];
        s.exists = true;
        s.owner = msg.sender;
        s.createdAt = uint64(block.number);
        s.hp = hp;
        emit SubnetCreated(netuid, msg.sender, lockRao);
        emit HyperparametersSet(netuid);
    }

    function setHyperparameters(uint16 netuid, Hyperparameters calldata hp) external {
        SubnetState storage s = existing(netuid);
        if (msg.sender != s.owner) revert NotSubnetOwner();
        validateHyperparameters(hp);
        if (hp.maxAllowedUids < s.n) revert InvalidHyperparameter("maxAllowedUids below the number of registered uids");
        s.hp = hp;
        emit HyperparametersSet(netuid);
    }

    function validateHyperparameters(Hyperparameters calldata hp) public pure {
        if (hp.maxAllowedUids == 0) revert InvalidHyperparameter("maxAllowedUids");
        if (hp.maxAllowedValidators > hp.maxAllowedUids) revert InvalidHyperparameter("maxAllowedValidators");
        if (hp.bondsMovingAverage > MAX_BONDS_MOVING_AVERAGE) revert InvalidHyperparameter("bondsMovingAverage");
        if (hp.revealPeriod < MIN_REVEAL_PERIOD || hp.revealPeriod > MAX_REVEAL_PERIOD) revert InvalidHyperparameter("revealPeriod");
        if (hp.alphaLow < MIN_ALPHA || hp.alphaLow > hp.alphaHigh) revert InvalidHyperparameter("alphaLow");
        if (hp.activityCutoff == 0) revert InvalidHyperparameter("activityCutoff");
    }

    function getHyperparameters(uint16 netuid) external view returns (Hyperparameters memory) {
        return existing(netuid).hp;
    }

    function subnetOwner(uint16 netuid) external view returns (address) {
        return existing(netuid).owner;
    }

    /// Epoch index with the classic schedule: epochs end where (block + netuid + 1) % (tempo + 1) == 0.
    function currentEpoch(uint16 netuid) public view returns (uint64) {
        uint64 tempo = existing(netuid).hp.tempo;
        return uint64((block.number + netuid + 1) / (tempo + 1));
    }

    // ---- registration --------------------------------------------------------------------------

    /// Burn-registers `hotkey` (low 20 bytes) with the caller as its coldkey; msg.value must be the
    /// burn converted to wei. A full subnet replaces the neuron subtensor would prune.
    function burnedRegister(uint16 netuid, bytes32 hotkey) external payable {
        if (netuid == 0) revert RegistrationNotPermittedOnRootSubnet();
        SubnetState storage s = existing(netuid);
        if (!s.hp.registrationAllowed) revert SubNetRegistrationDisabled();
        address hot = toAddress(hotkey);
        if (s.uidPlusOne[hot] != 0) revert HotKeyAlreadyRegisteredInSubNet();
        uint256 price = uint256(s.hp.burn) * WEI_PER_RAO;
        if (msg.value != price) revert IncorrectBurnAmount(price, msg.value);
        address owner = hotkeyOwner[hot];
        if (owner == address(0)) {
            hotkeyOwner[hot] = msg.sender;
        } else if (owner != msg.sender) {
            revert NonAssociatedColdKey();
        }
        uint64 blockNow = uint64(block.number);
        uint16 uid;
        address replaced;
        if (s.n < s.hp.maxAllowedUids) {
            uid = s.n;
            s.n += 1;
            s.hotkeys.push(hot);
            s.lastUpdate.push(blockNow);
            s.registeredAt.push(blockNow);
            s.validatorPermit.push(false);
            s.active.push(true);
            s.consensus.push(0);
            s.incentive.push(0);
            s.dividends.push(0);
            s.validatorTrust.push(0);
            s.emission.push(0);
        } else {
            uid = neuronToPrune(s, blockNow);
            replaced = s.hotkeys[uid];
            replaceNeuron(s, netuid, uid, hot, blockNow);
        }
        s.uidPlusOne[hot] = uid + 1;
        emit NeuronRegistered(netuid, uid, hot, msg.sender, replaced);
    }

    /// Subtensor's get_neuron_to_prune: lowest emission, then earliest registration, then lowest
    /// uid; immune neurons only when no other is left; the owner hotkey never.
    function neuronToPrune(SubnetState storage s, uint64 blockNow) private view returns (uint16) {
        bool found;
        bool foundImmune;
        uint16 best;
        for (uint16 uid = 0; uid < s.n; uid++) {
            if (s.hotkeys[uid] == s.owner) continue;
            bool immune = blockNow - s.registeredAt[uid] < s.hp.immunityPeriod;
            if (found && !foundImmune && immune) continue;
            if (!found || (foundImmune && !immune) || prunesBefore(s, uid, best)) {
                best = uid;
                found = true;
                foundImmune = immune;
            }
        }
        if (!found) revert NoNeuronIdAvailable();
        return best;
    }

    function prunesBefore(SubnetState storage s, uint16 a, uint16 b) private view returns (bool) {
        if (s.emission[a] != s.emission[b]) return s.emission[a] < s.emission[b];
        if (s.registeredAt[a] != s.registeredAt[b]) return s.registeredAt[a] < s.registeredAt[b];
        return a < b;
    }

    /// Subtensor's replace_neuron + clear_neuron: the old rows go, weights others gave the uid are
    /// kept as (uid, 0), epoch terms (stake weight included) and permit reset, registration and last update set to now.
    function replaceNeuron(SubnetState storage s, uint16 netuid, uint16 uid, address hot, uint64 blockNow) private {
        address old = s.hotkeys[uid];
        delete s.uidPlusOne[old];
        delete s.axons[old];
        // Skip the old hotkey's pending commits rather than deleting them: O(1) whatever their number.
        s.commitHead[old] = s.commits[old].length;
        delete s.weightUids[uid];
        delete s.weightValues[uid];
        delete s.bondUids[uid];
        delete s.bondValues[uid];
        for (uint16 row = 0; row < s.n; row++) {
            // One copy of the packed row (16 uids per slot) is far cheaper than reading element by element.
            uint16[] memory dests = s.weightUids[row];
            for (uint256 k = 0; k < dests.length; k++) {
                if (dests[k] == uid) {
                    s.weightValues[row][k] = 0;
                }
            }
        }
        s.hotkeys[uid] = hot;
        s.lastUpdate[uid] = blockNow;
        s.registeredAt[uid] = blockNow;
        s.validatorPermit[uid] = false;
        s.active[uid] = true;
        s.consensus[uid] = 0;
        s.incentive[uid] = 0;
        s.dividends[uid] = 0;
        s.validatorTrust[uid] = 0;
        s.emission[uid] = 0;
        uint16[] storage stakeWeight = stakeWeights[netuid];
        if (uid < stakeWeight.length) stakeWeight[uid] = 0;
    }

    // ---- serving -------------------------------------------------------------------------------

    /// The neuron precompile's serveAxon; the caller is the hotkey.
    function serveAxon(
        uint16 netuid,
        uint32 version,
        uint128 ip,
        uint16 port,
        uint8 ipType,
        uint8 protocol,
        uint8 placeholder1,
        uint8 placeholder2
    ) external payable {
        placeholder1;
        placeholder2;
        refuseValue();
        SubnetState storage s = existing(netuid);
        if (s.uidPlusOne[msg.sender] == 0) revert HotKeyNotRegisteredInNetwork();
        if (ipType != 4 && ipType != 6) revert InvalidIpType();
        if (!validIp(ipType, ip, s.hp.allowLoopbackAxons)) revert InvalidIpAddress();
        AxonInfo storage axon = s.axons[msg.sender];
        uint64 blockNow = uint64(block.number);
        if (s.hp.servingRateLimit != 0 && axon.block != 0 && blockNow - axon.block < s.hp.servingRateLimit) {
            revert ServingRateLimitExceeded();
        }
        if (port == 0) revert InvalidPort();
        axon.block = blockNow;
        axon.version = version;
        axon.ip = ip;
        axon.port = port;
        axon.ip_type = ipType;
        axon.protocol = protocol;
        emit AxonServed(netuid, msg.sender, ip, port, ipType, protocol);
    }

    function validIp(uint8 ipType, uint128 ip, bool allowLoopback) private pure returns (bool) {
        // The unspecified address (0.0.0.0, ::) reaches no one, and an ip of 0 reads back as no axon at all.
        if (ip == 0) return false;
        if (ipType == 4) {
            if (ip >= type(uint32).max) return false;
            return allowLoopback || ip != 0x7f000001;
        }
        if (ip == type(uint128).max) return false;
        return allowLoopback || ip != 1;
    }

    // ---- stake ---------------------------------------------------------------------------------

    /// The staking-v2 precompile's addStake; msg.value must be amountRao converted to wei.
    function addStake(bytes32 hotkey, uint256 amountRao, uint256 netuid) external payable {
        SubnetState storage s = existing(toNetuid(netuid));
        address hot = toAddress(hotkey);
        if (s.uidPlusOne[hot] == 0) revert HotKeyNotRegisteredInSubNet();
        if (amountRao == 0 || amountRao > type(uint64).max) revert AmountTooLow();
        if (msg.value != amountRao * WEI_PER_RAO) revert IncorrectStakeAmount(amountRao * WEI_PER_RAO, msg.value);
        uint64 amount = uint64(amountRao);
        s.stake[hot] += amount;
        s.stakeByColdkey[hot][msg.sender] += amount;
        s.stakedAt[hot][msg.sender] = uint64(block.number);
        emit StakeAdded(uint16(netuid), hot, msg.sender, amount, s.stake[hot]);
    }

    /// The staking-v2 precompile's removeStake: the caller's own stake on the hotkey is paid back. Not in the
    /// block the caller last added to it (subtensor's staking rate limit): stake borrowed and repaid within one
    /// block, a flash loan, could otherwise take permits or weigh in an epoch.
    function removeStake(bytes32 hotkey, uint256 amountRao, uint256 netuid) external payable {
        refuseValue();
        SubnetState storage s = existing(toNetuid(netuid));
        address hot = toAddress(hotkey);
        if (amountRao == 0) revert AmountTooLow();
        if (s.stakedAt[hot][msg.sender] == block.number) revert StakingOperationRateLimitExceeded();
        uint64 own = s.stakeByColdkey[hot][msg.sender];
        if (amountRao > own) revert NotEnoughStakeToWithdraw();
        uint64 amount = uint64(amountRao);
        s.stakeByColdkey[hot][msg.sender] = own - amount;
        s.stake[hot] -= amount;
        emit StakeRemoved(uint16(netuid), hot, msg.sender, amount, s.stake[hot]);
        (bool paid, ) = payable(msg.sender).call{value: uint256(amount) * WEI_PER_RAO}("");
        require(paid, "stake refund failed");
    }

    function getStake(bytes32 hotkey, bytes32 coldkey, uint256 netuid) external view returns (uint256) {
        return existing(toNetuid(netuid)).stakeByColdkey[toAddress(hotkey)][toAddress(coldkey)];
    }

    function getTotalHotkeyStake(bytes32 hotkey, uint256 netuid) external view returns (uint256) {
        return existing(toNetuid(netuid)).stake[toAddress(hotkey)];
    }

    /// Subtensor's is_topk_nonzero over stake at or above stakeThreshold: the top maxAllowedValidators
    /// such stakes get a permit, ties broken toward the higher uid (a stable ascending sort drops lower
    /// uids first). Subtensor sets permits only in the epoch, and runEpoch stores the epoch's own; this
    /// lets anyone apply the same rule to the current stake between epochs, so that new stake need not
    /// wait for one (a convenience of this local chain). It only grants: a permit is taken away by the
    /// epoch alone, so stake added for a moment cannot push a validator out until the next epoch.
    function updateValidatorPermits(uint16 netuid) public {
        SubnetState storage s = existing(netuid);
        uint16 n = s.n;
        uint16 k = s.hp.maxAllowedValidators;
        // Key = stake << 16 | uid: sorting keys descending ranks by stake, equal stakes by higher uid first.
        uint256[] memory keys = new uint256[](n);
        for (uint16 i = 0; i < n; i++) {
            uint64 stake = s.stake[s.hotkeys[i]];
            keys[i] = (stake < s.hp.stakeThreshold ? 0 : uint256(stake) << 16) | i;
        }
        if (n > k) {
            sortDescending(keys, 0, int256(uint256(n)) - 1);
        }
        bool[] memory permit = new bool[](n);
        for (uint16 rank = 0; rank < n && rank < k; rank++) {
            if (keys[rank] >> 16 != 0) permit[uint16(keys[rank])] = true;
        }
        uint16 permitted;
        for (uint16 i = 0; i < n; i++) {
            bool p = permit[i] || s.validatorPermit[i] || s.hotkeys[i] == s.owner;
            s.validatorPermit[i] = p;
            if (p) permitted++;
        }
        emit ValidatorPermitsUpdated(netuid, permitted);
    }

    function sortDescending(uint256[] memory a, int256 lo, int256 hi) private pure {
        while (lo < hi) {
            uint256 pivot = a[uint256(lo + (hi - lo) / 2)];
            int256 i = lo;
            int256 j = hi;
            while (i <= j) {
                while (a[uint256(i)] > pivot) i++;
                while (a[uint256(j)] < pivot) j--;
                if (i <= j) {
                    (a[uint256(i)], a[uint256(j)]) = (a[uint256(j)], a[uint256(i)]);
                    i++;
                    j--;
                }
            }
            // Recurse into the smaller side, loop on the larger: stack depth stays logarithmic.
            if (j - lo < hi - i) {
                if (lo < j) sortDescending(a, lo, j);
                lo = i;
            } else {
                if (i < hi) sortDescending(a, i, hi);
                hi = j;
            }
        }
    }

    // ---- weights -------------------------------------------------------------------------------

    /// The neuron precompile's setWeights; the caller is the hotkey. Checks run in subtensor's order.
    function setWeights(uint16 netuid, uint16[] calldata dests, uint16[] calldata weights, uint64 versionKey) external payable {
        refuseValue();
        if (subnets[netuid].hp.commitRevealEnabled) revert CommitRevealEnabled();
        uint16 uid = applyWeights(netuid, msg.sender, dests, weights, versionKey, true);
        subnets[netuid].lastUpdate[uid] = uint64(block.number);
    }

    function commitWeights(uint16 netuid, bytes32 commitHash) external payable {
        refuseValue();
        SubnetState storage s = existing(netuid);
        if (!s.hp.commitRevealEnabled) revert CommitRevealDisabled();
        uint16 plusOne = s.uidPlusOne[msg.sender];
        if (plusOne == 0) revert HotKeyNotRegisteredInSubNet();
        uint16 uid = plusOne - 1;
        if (!rateLimitPassed(s, uid)) revert CommittingWeightsTooFast();
        uint64 epoch = currentEpoch(netuid);
        WeightCommit[] storage queue = s.commits[msg.sender];
        uint256 head = dropExpired(s, queue, s.commitHead[msg.sender], epoch);
        s.commitHead[msg.sender] = head;
        if (queue.length - head >= MAX_PENDING_COMMITS) revert TooManyUnrevealedCommits();
        queue.push(WeightCommit(commitHash, epoch, uint64(block.number)));
        s.lastUpdate[uid] = uint64(block.number);
        emit WeightsCommitted(netuid, msg.sender, commitHash, epoch);
    }

    /// Reveals a commit made reveal_period epochs ago; the hash is
    /// keccak256(abi.encode(hotkey, netuid, uids, values, salt, versionKey)).
    function revealWeights(
        uint16 netuid,
        uint16[] calldata uids,
        uint16[] calldata values,
        uint16[] calldata salt,
        uint64 versionKey
    ) external payable {
        refuseValue();
        SubnetState storage s = existing(netuid);
        if (!s.hp.commitRevealEnabled) revert CommitRevealDisabled();
        WeightCommit[] storage queue = s.commits[msg.sender];
        uint256 head = s.commitHead[msg.sender];
        if (head >= queue.length) revert NoWeightsCommitFound();
        bytes32 hash = commitHashOf(msg.sender, netuid, uids, values, salt, versionKey);
        uint64 epoch = currentEpoch(netuid);
        uint256 live = dropExpired(s, queue, head, epoch);
        for (uint256 i = live; i < queue.length; i++) {
            if (queue[i].hash == hash) {
                if (epoch != queue[i].epoch + s.hp.revealPeriod) revert RevealTooEarly();
                s.commitHead[msg.sender] = i + 1;
                applyWeights(netuid, msg.sender, uids, values, versionKey, false);
                emit WeightsRevealed(netuid, msg.sender, hash);
                return;
            }
        }
        // Subtensor's error order: a hash that only an expired commit has, then no unexpired commit left at all.
        for (uint256 i = head; i < live; i++) {
            if (queue[i].hash == hash) revert ExpiredWeightCommit();
        }
        if (live == queue.length) revert NoWeightsCommitFound();
        revert InvalidRevealCommitHashNotMatch();
    }

    function commitHashOf(
        address hotkey,
        uint16 netuid,
        uint16[] calldata uids,
        uint16[] calldata values,
        uint16[] calldata salt,
        uint64 versionKey
    ) public pure returns (bytes32) {
        return keccak256(abi.encode(hotkey, netuid, uids, values, salt, versionKey));
    }

    /// Pending (hash, commit epoch, commit block) of a hotkey, oldest first, expired ones included.
    function getCommits(uint16 netuid, address hotkey) external view returns (WeightCommit[] memory pending) {
        SubnetState storage s = existing(netuid);
        WeightCommit[] storage queue = s.commits[hotkey];
        uint256 head = s.commitHead[hotkey];
        pending = new WeightCommit[](queue.length - head);
        for (uint256 i = head; i < queue.length; i++) {
            pending[i - head] = queue[i];
        }
    }

    function dropExpired(SubnetState storage s, WeightCommit[] storage queue, uint256 head, uint64 epoch)
        private
        view
        returns (uint256)
    {
        while (head < queue.length && epoch > queue[head].epoch + s.hp.revealPeriod) {
            head++;
        }
        return head;
    }

    function rateLimitPassed(SubnetState storage s, uint16 uid) private view returns (bool) {
        uint64 last = s.lastUpdate[uid];
        return last == 0 || block.number - last >= s.hp.weightsRateLimit;
    }

    /// Subtensor's internal_set_weights checks 2..17 (rate limit only when enforceRateLimit).
    function applyWeights(
        uint16 netuid,
        address hotkey,
        uint16[] calldata dests,
        uint16[] calldata weights,
        uint64 versionKey,
        bool enforceRateLimit
    ) private returns (uint16 uid) {
        if (netuid == 0) revert CanNotSetRootNetworkWeights();
        if (dests.length != weights.length) revert WeightVecNotEqualSize();
        SubnetState storage s = existing(netuid);
        uint16 n = s.n;
        if (dests.length > n) revert UidsLengthExceedUidsInSubNet();
        uint16 plusOne = s.uidPlusOne[hotkey];
        if (plusOne == 0) revert HotKeyNotRegisteredInSubNet();
        uid = plusOne - 1;
        bool isOwner = hotkey == s.owner;
        if (!isOwner && s.stake[hotkey] < s.hp.stakeThreshold) revert NotEnoughStakeToSetWeights();
        uint64 required = s.hp.weightsVersionKey;
        if (required != 0 && versionKey < required) revert IncorrectWeightVersionKey();
        if (enforceRateLimit && !rateLimitPassed(s, uid)) revert SettingWeightsTooFast();
        bool selfWeight = dests.length == 1 && dests[0] == uid;
        if (!selfWeight && !isOwner && !s.validatorPermit[uid]) revert NeuronNoValidatorPermit();
        uint256[] memory seen = new uint256[](256);
        for (uint256 i = 0; i < dests.length; i++) {
            uint16 d = dests[i];
            uint256 bit = uint256(1) << (d & 0xff);
            if (seen[d >> 8] & bit != 0) revert DuplicateUids();
            seen[d >> 8] |= bit;
        }
        for (uint256 i = 0; i < dests.length; i++) {
            if (dests[i] >= n) revert UidVecContainInvalidOne();
        }
        uint256 minimum = s.hp.minAllowedWeights < n ? s.hp.minAllowedWeights : n;
        if (!selfWeight && weights.length < minimum) revert WeightVecLengthIsLow();
        s.weightUids[uid] = dests;
        s.weightValues[uid] = maxUpscale(weights);
        emit WeightsSet(netuid, uid);
    }

    /// Subtensor's vec_u16_max_upscale_to_u16 in I32F32 arithmetic, rounding half away from zero.
    function maxUpscale(uint16[] calldata values) public pure returns (uint16[] memory out) {
        out = new uint16[](values.length);
        uint256 m;
        for (uint256 i = 0; i < values.length; i++) {
            if (values[i] > m) m = values[i];
        }
        if (m == 0) return out;
        uint256 half = 1 << 31;
        if (m > 32_768) {
            uint256 factor = (uint256(65_535) << 32) / m;
            for (uint256 i = 0; i < values.length; i++) {
                uint256 r = (values[i] * factor + half) >> 32;
                out[i] = uint16(r > 65_535 ? 65_535 : r);
            }
        } else {
            for (uint256 i = 0; i < values.length; i++) {
                uint256 r = (((uint256(values[i]) * 65_535) << 32) / m + half) >> 32;
                out[i] = uint16(r > 65_535 ? 65_535 : r);
            }
        }
    }

    /// The stored (max-upscaled) weight row of a uid, in submission order.
    function getWeights(uint16 netuid, uint16 uid) external view returns (uint16[] memory uids, uint16[] memory values) {
        SubnetState storage s = existing(netuid);
        return (s.weightUids[uid], s.weightValues[uid]);
    }

    /// The stored bond row of a uid (written by the epoch).
    function getBonds(uint16 netuid, uint16 uid) external view returns (uint16[] memory uids, uint16[] memory values) {
        SubnetState storage s = existing(netuid);
        return (s.bondUids[uid], s.bondValues[uid]);
    }

    /// Every weight row of the subnet in one call: row i is uids[rowEnds[i-1]:rowEnds[i]] (rowEnds[-1] = 0).
    function getWeightMatrix(uint16 netuid) external view returns (uint32[] memory rowEnds, uint16[] memory uids, uint16[] memory values) {
        SubnetState storage s = existing(netuid);
        return flatten(s.n, s.weightUids, s.weightValues);
    }

    /// Every bond row of the subnet in one call, laid out as getWeightMatrix.
    function getBondMatrix(uint16 netuid) external view returns (uint32[] memory rowEnds, uint16[] memory uids, uint16[] memory values) {
        SubnetState storage s = existing(netuid);
        return flatten(s.n, s.bondUids, s.bondValues);
    }

    function flatten(uint16 n, mapping(uint16 => uint16[]) storage rowUids, mapping(uint16 => uint16[]) storage rowValues)
        private
        view
        returns (uint32[] memory rowEnds, uint16[] memory uids, uint16[] memory values)
    {
        rowEnds = new uint32[](n);
        uint32 total;
        for (uint16 i = 0; i < n; i++) {
            total += uint32(rowUids[i].length);
            rowEnds[i] = total;
        }
        uids = new uint16[](total);
        values = new uint16[](total);
        uint32 at;
        for (uint16 i = 0; i < n; i++) {
            uint16[] storage u = rowUids[i];
            uint16[] storage v = rowValues[i];
            for (uint256 k = 0; k < u.length; k++) {
                uids[at] = u[k];
                values[at] = v[k];
                at++;
            }
        }
    }

    /// Subnet-level state an epoch needs besides hyperparameters and per-uid arrays.
    function getSubnetInfo(uint16 netuid)
        external
        view
        returns (address owner, uint16 n, uint64 createdAt, uint64 lastEpochBlock, uint64 epoch, bool ownerRegistered, uint16 ownerUid)
    {
        SubnetState storage s = existing(netuid);
        uint16 plusOne = s.uidPlusOne[s.owner];
        return (s.owner, s.n, s.createdAt, s.lastEpochBlock, currentEpoch(netuid), plusOne != 0, plusOne == 0 ? 0 : plusOne - 1);
    }

    // ---- epoch: runEpoch is at the end of the contract ----------------------------------------

    // ---- metagraph precompile views (0x802 signatures) ------------------------------------------

    function getUidCount(uint16 netuid) external view returns (uint16) {
        return subnets[netuid].n;
    }

    function getStake(uint16 netuid, uint16 uid) external view returns (uint64) {
        SubnetState storage s = subnets[netuid];
        if (uid >= s.n) revert InvalidRange();
        return s.stake[s.hotkeys[uid]];
    }

    function getRank(uint16, uint16) external pure returns (uint16) {
        return 0;
    }

    function getTrust(uint16, uint16) external pure returns (uint16) {
        return 0;
    }

    function getConsensus(uint16 netuid, uint16 uid) external view returns (uint16) {
        SubnetState storage s = subnets[netuid];
        return uid < s.n ? s.consensus[uid] : 0;
    }

    function getIncentive(uint16 netuid, uint16 uid) external view returns (uint16) {
        SubnetState storage s = subnets[netuid];
        return uid < s.n ? s.incentive[uid] : 0;
    }

    function getDividends(uint16 netuid, uint16 uid) external view returns (uint16) {
        SubnetState storage s = subnets[netuid];
        return uid < s.n ? s.dividends[uid] : 0;
    }

    function getEmission(uint16 netuid, uint16 uid) external view returns (uint64) {
        SubnetState storage s = subnets[netuid];
        return uid < s.n ? s.emission[uid] : 0;
    }

    function getVtrust(uint16 netuid, uint16 uid) external view returns (uint16) {
        SubnetState storage s = subnets[netuid];
        return uid < s.n ? s.validatorTrust[uid] : 0;
    }

    function getValidatorStatus(uint16 netuid, uint16 uid) external view returns (bool) {
        SubnetState storage s = subnets[netuid];
        return uid < s.n && s.validatorPermit[uid];
    }

    function getLastUpdate(uint16 netuid, uint16 uid) external view returns (uint64) {
        SubnetState storage s = subnets[netuid];
        return uid < s.n ? s.lastUpdate[uid] : 0;
    }

    /// Not a precompile view: the block a uid was (re)registered at, which pruning and the epoch use.
    function getBlockAtRegistration(uint16 netuid, uint16 uid) external view returns (uint64) {
        SubnetState storage s = subnets[netuid];
        return uid < s.n ? s.registeredAt[uid] : 0;
    }

    function getIsActive(uint16 netuid, uint16 uid) external view returns (bool) {
        SubnetState storage s = subnets[netuid];
        return uid < s.n && s.active[uid];
    }

    function getAxon(uint16 netuid, uint16 uid) external view returns (AxonInfo memory) {
        SubnetState storage s = subnets[netuid];
        require(uid < s.n, "hotkey not found");
        return s.axons[s.hotkeys[uid]];
    }

    function getHotkey(uint16 netuid, uint16 uid) external view returns (bytes32) {
        SubnetState storage s = subnets[netuid];
        if (uid >= s.n) revert InvalidRange();
        return bytes32(uint256(uint160(s.hotkeys[uid])));
    }

    function getColdkey(uint16 netuid, uint16 uid) external view returns (bytes32) {
        SubnetState storage s = subnets[netuid];
        if (uid >= s.n) revert InvalidRange();
        return bytes32(uint256(uint160(hotkeyOwner[s.hotkeys[uid]])));
    }

    /// The whole metagraph of a subnet in one call, with the block it was read at.
    function getMetagraph(uint16 netuid) external view returns (uint64 blockNumber, NeuronInfo[] memory neurons) {
        SubnetState storage s = existing(netuid);
        blockNumber = uint64(block.number);
        neurons = new NeuronInfo[](s.n);
        for (uint16 uid = 0; uid < s.n; uid++) {
            address hot = s.hotkeys[uid];
            neurons[uid] = NeuronInfo({
                uid: uid,
                hotkey: hot,
                coldkey: hotkeyOwner[hot],
                stake: s.stake[hot],
                axon: s.axons[hot],
                validatorPermit: s.validatorPermit[uid],
                active: s.active[uid],
                lastUpdate: s.lastUpdate[uid],
                registeredAt: s.registeredAt[uid],
                consensus: s.consensus[uid],
                incentive: s.incentive[uid],
                dividends: s.dividends[uid],
                validatorTrust: s.validatorTrust[uid],
                emission: s.emission[uid]
            });
        }
    }

    /// The uid of a hotkey on a subnet, or reverts HotKeyNotRegisteredInSubNet.
    function uidOf(uint16 netuid, address hotkey) external view returns (uint16) {
        uint16 plusOne = existing(netuid).uidPlusOne[hotkey];
        if (plusOne == 0) revert HotKeyNotRegisteredInSubNet();
        return plusOne - 1;
    }

    // ---- helpers -------------------------------------------------------------------------------

    /// The precompiles' signatures make some calls payable, but value sent with them would stay here for good.
    function refuseValue() private view {
        if (msg.value != 0) revert UnexpectedValue(msg.value);
    }

    function existing(uint16 netuid) private view returns (SubnetState storage s) {
        s = subnets[netuid];
        if (!s.exists) revert SubnetNotExists();
    }

    function toAddress(bytes32 account) private pure returns (address) {
        return address(uint160(uint256(account)));
    }

    function toNetuid(uint256 netuid) private pure returns (uint16) {
        if (netuid > type(uint16).max) revert SubnetNotExists();
        return uint16(netuid);
    }

    // ---- epoch and emission --------------------------------------------------------------------
    // runEpoch hands the subnet's stored state to the YumaEpoch contract (deployed on its own, so
    // this one stays under the code size limit), stores the terms subtensor stores (spec §3.13) and
    // pays each hotkey's server + validator emission in the EmissionToken this contract creates and alone mints.

    /// The ERC-20 that emissions are paid in.
    EmissionToken public immutable emissionToken = new EmissionToken();
    /// The epoch contract, set once by the deployer (setYumaEpoch).
    YumaEpoch public yumaEpoch;
    /// The only account that may set the network lock cost and link the epoch contract.
    address public immutable deployer = msg.sender;
    mapping(uint16 => uint16[]) private stakeWeights;

    error NotDeployer();
    error YumaEpochAlreadySet();
    error YumaEpochNotSet();
    error EpochNotDue(uint64 dueAtBlock);

    /// Applies to subnets created from now on; those already created keep what they locked.
    function setNetworkLockCost(uint64 rao) external {
        if (msg.sender != deployer) revert NotDeployer();
        networkLockCost = rao;
        emit NetworkLockCostSet(rao);
    }

    function setYumaEpoch(YumaEpoch epochContract) external {
        if (msg.sender != deployer) revert NotDeployer();
        if (address(yumaEpoch) != address(0)) revert YumaEpochAlreadySet();
        yumaEpoch = epochContract;
    }

    /// Runs the subnet's epoch; anyone may call it once tempo blocks have passed since the last one
    /// (the first from block tempo on, as lastEpochBlock starts at 0).
    /// YumaEpoch reads the state through this contract's views and returns it packed (see YumaEpoch.runFor).
    /// The permits it sets, revocations included, are announced with ValidatorPermitsUpdated as updateValidatorPermits
    /// announces its own.
    function runEpoch(uint16 netuid) external {
        SubnetState storage s = existing(netuid);
        if (address(yumaEpoch) == address(0)) revert YumaEpochNotSet();
        uint64 due = s.lastEpochBlock + s.hp.tempo;
        if (s.hp.tempo == 0 || block.number < due) revert EpochNotDue(s.hp.tempo == 0 ? type(uint64).max : due);
        uint256[] memory packed = yumaEpoch.runFor(this, netuid);
        uint16 n = s.n;
        uint16[] storage stakeWeight = stakeWeights[netuid];
        uint256 at = n;
        uint16 permitted;
        for (uint16 i = 0; i < n; i++) {
            uint256 w = packed[i];
            s.emission[i] = uint64(w);
            uint256 paid = (w >> 64) & ((1 << 66) - 1);
            if (paid != 0) emissionToken.mint(s.hotkeys[i], paid);
            s.consensus[i] = uint16(w >> 130);
            s.incentive[i] = uint16(w >> 146);
            s.dividends[i] = uint16(w >> 162);
            s.validatorTrust[i] = uint16(w >> 178);
            if (stakeWeight.length <= i) stakeWeight.push();
            stakeWeight[i] = uint16(w >> 194);
            bool permit = (w >> 210) & 1 == 1;
            s.validatorPermit[i] = permit;
            if (permit) permitted++;
            s.active[i] = (w >> 211) & 1 == 1;
            if ((w >> 212) & 1 == 0) continue;
            uint16[] memory uids = new uint16[](packed[at++]);
            uint16[] memory values = new uint16[](uids.length);
            for (uint256 k = 0; k < uids.length; k++) {
                uint256 entry = packed[at++];
                uids[k] = uint16(entry >> 16);
                values[k] = uint16(entry);
            }
            s.bondUids[i] = uids;
            s.bondValues[i] = values;
        }
        s.lastEpochBlock = uint64(block.number);
        emit ValidatorPermitsUpdated(netuid, permitted);
        emit EpochRun(netuid, uint64(block.number));
    }

    /// The normalized stake (u16 proportion) each uid had at the last epoch.
    function getStakeWeight(uint16 netuid, uint16 uid) external view returns (uint16) {
        uint16[] storage weights = stakeWeights[netuid];
        return uid < weights.length ? weights[uid] : 0;
    }
}
