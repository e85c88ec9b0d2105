/**
 * The {@code chorus} command line: one picocli command per job, each turning bad input into a message
 * and exit code 2 rather than a stack trace.
 */
package dev.chorus.cli;
