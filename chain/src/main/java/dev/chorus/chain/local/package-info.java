/**
 * A throw-away local chain for development and tests: the pinned Anvil binary run as a child process
 * on a loopback port, with its funded deterministic dev accounts.
 */
package dev.chorus.chain.local;
