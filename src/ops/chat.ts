/**
 * Posts a short message to a chat channel through an incoming webhook (Slack's JSON shape, which
 * Mattermost, Rocket.Chat and others accept). The URL is a secret: it is never logged or shown.
 */
export interface ChatMessage {
  readonly text: string;
}

export type ChatResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export const CHAT_TIMEOUT_MS = 5_000;

/** Only https URLs (or http on loopback, for tests and local relays) are used. */
export function usableWebhookUrl(raw: string | undefined): URL | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) return url;
  return undefined;
}

export async function postChatMessage(url: URL, message: ChatMessage, fetchImpl: typeof fetch = fetch): Promise<ChatResult> {
  try {
    const response = await fetchImpl(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: message.text }),
      signal: AbortSignal.timeout(CHAT_TIMEOUT_MS),
      redirect: "error",
    });
    await response.arrayBuffer().catch(() => undefined);
    return response.ok ? { ok: true } : { ok: false, reason: `the webhook answered ${response.status}` };
  } catch (error) {
    const name = error instanceof Error ? error.name : "an error";
    return { ok: false, reason: name === "TimeoutError" ? `no answer within ${CHAT_TIMEOUT_MS / 1000} s` : `the request failed (${name})` };
  }
}
