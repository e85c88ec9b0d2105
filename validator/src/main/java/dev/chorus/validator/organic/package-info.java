/**
 * Organic queries: consumers' questions answered by the subnet's consensus, through {@code /v1/ask} and the
 * OpenAI chat-completions shape, with API keys, rate limits and a worker budget of their own.
 */
package dev.chorus.validator.organic;
