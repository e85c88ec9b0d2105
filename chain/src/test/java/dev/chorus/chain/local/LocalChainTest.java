package dev.chorus.chain.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalChainTest {

    @Test
    void derivesAnvilsWellKnownDevKeys() {
        assertThat(LocalChain.deriveDevAccounts(2)).extracting(DevAccount::privateKey).containsExactly(
                "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
                "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
        assertThat(LocalChain.deriveDevAccounts(2).get(1).address()).isEqualTo("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
    }

    @Test
    void missingBinaryNamesTheInstallCommand(@TempDir Path empty) {
        assertThatThrownBy(() -> LocalChain.locateAnvil(Optional.empty(), Optional.empty(), empty))
                .isInstanceOf(LocalChainException.class)
                .hasMessageContaining("npm ci --prefix chain");
        assertThatThrownBy(() -> LocalChain.locateAnvil(Optional.empty(), Optional.of(empty.resolve("anvil").toString()), empty))
                .hasMessageContaining(LocalChain.ANVIL_ENV)
                .hasMessageContaining("npm ci --prefix chain");
    }

    @Test
    void findsThePackagedBinaryFromAParentDirectory(@TempDir Path root) throws Exception {
        Path binary = root.resolve("chain/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
        Files.createDirectories(binary.getParent());
        Files.writeString(binary, "#!/bin/sh\n");
        binary.toFile().setExecutable(true);
        Path deeper = Files.createDirectories(root.resolve("validator/target"));
        assertThat(LocalChain.locateAnvil(Optional.empty(), Optional.empty(), deeper)).isEqualTo(binary);
    }
}
