/**
 * The gateway: {@link dev.completions.server.CompletionServer} serves every provider of a registry
 * behind one OpenAI-compatible HTTP endpoint ({@code /v1/chat/completions}, {@code /v1/models},
 * {@code /v1/providers}, {@code /health}, {@code /ready}). Everything else in the package is
 * internal.
 */
package dev.completions.server;
