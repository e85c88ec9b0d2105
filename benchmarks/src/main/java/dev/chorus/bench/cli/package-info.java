/**
 * The {@code chorus-bench} command line: {@code replay}, {@code scenario} and {@code compare}, each printing a
 * table or (with {@code --json}) a machine-readable summary and writing CSV, JSON and charts with {@code --out}.
 */
package dev.chorus.bench.cli;
