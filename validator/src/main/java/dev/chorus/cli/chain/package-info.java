/**
 * The {@code chorus chain} commands: run a local chain with a deployed subnet, show a subnet's
 * metagraph, and the operator's register / serve / stake / set-hyperparameter transactions.
 */
package dev.chorus.cli.chain;
