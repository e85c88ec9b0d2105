/**
 * Hardening suites for the validator: hostile miners, hostile answers, a failing chain and secrets, each run against
 * the real service on loopback with a real chain, so a fault that slips through shows up as a wrong round log or metric.
 */
package dev.chorus.validator.hardening;
