/**
 * The operator's window into a running validator: dashboard, status API, Prometheus metrics and health,
 * bound to loopback unless configured otherwise (then behind a bearer token).
 */
package dev.chorus.validator.admin;
