/**
 * Writes what the bench measured: CSV and JSON with fixed formatting and sorted keys (byte-identical for the same
 * inputs), and PNG charts drawn headless with XChart.
 */
package dev.chorus.bench.report;
