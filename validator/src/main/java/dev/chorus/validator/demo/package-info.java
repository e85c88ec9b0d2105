/**
 * {@code chorus demo}: a whole subnet on one machine (local chain, validators, miners of known quality) run
 * for a few tempos through the real parts, and the report of who earned what.
 */
package dev.chorus.validator.demo;
