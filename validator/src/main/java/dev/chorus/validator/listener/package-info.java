/**
 * What the validator's HTTP listeners (the admin endpoints and the organic API) share to stay up when clients hold
 * sockets open: a cap on open connections.
 */
package dev.chorus.validator.listener;
