package dev.chorus.chain.local;

import org.web3j.crypto.Credentials;

/**
 * One of Anvil's funded accounts, derived from its well-known test mnemonic. The private key is public
 * knowledge: never use these keys anywhere but a local chain.
 */
public record DevAccount(int index, String address, String privateKey) {

    public Credentials credentials() {
        return Credentials.create(privateKey);
    }

    @Override
    public String toString() {
        return "DevAccount[" + index + ", " + address + "]";
    }
}
