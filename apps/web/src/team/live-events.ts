import { TeamApi } from './api';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

export interface LiveEvent {
  type: string;
  payload: Record<string, unknown>;
}

/** Waits between attempts: quick at first, never more than 5 s; back to the first once a stream opens. */
const RETRY_MS = [500, 1000, 2000, 5000];

/**
 * The tab's one event stream (`GET /events`). The browser's own EventSource retry is not used:
 * its URL carries an access token that expires. After any error the stream is reopened by hand
 * with a current token and `lastEventId`, so the server replays whatever was missed. While it waits
 * to retry, the tab coming back online or becoming visible again retries at once.
 */
export class LiveEvents {
  private source: EventSource | undefined;
  private lastEventId: string | undefined;
  private attempt = 0;
  private timer: number | undefined;
  private stopped = false;
  /** A retry is scheduled (the stream is down). */
  private waiting = false;
  private refreshNext = false;
  private readonly retryNow = () => {
    if (!this.waiting || this.stopped) return;
    if (document.visibilityState === 'hidden') return; // visible again later: then
    window.clearTimeout(this.timer);
    this.waiting = false;
    void this.open(this.refreshNext);
  };

  constructor(
    private readonly api: TeamApi,
    private readonly onEvent: (event: LiveEvent) => void,
    private readonly onState: (state: ConnectionState) => void,
  ) {}

  start(): void {
    this.stopped = false;
    window.addEventListener('online', this.retryNow);
    document.addEventListener('visibilitychange', this.retryNow);
    void this.open(false);
  }

  stop(): void {
    this.stopped = true;
    this.waiting = false;
    window.removeEventListener('online', this.retryNow);
    document.removeEventListener('visibilitychange', this.retryNow);
    window.clearTimeout(this.timer);
    this.source?.close();
    this.source = undefined;
  }

  private async open(refresh: boolean): Promise<void> {
    if (this.stopped) return;
    let token: string;
    try {
      token = refresh ? await this.api.refreshed(this.api.session.access) : await this.api.accessToken();
    } catch {
      this.retry(); // offline, or the session ended (the page shows the login screen then)
      return;
    }
    if (this.stopped) return; // stopped while the token was on its way
    const query = new URLSearchParams({ token });
    if (this.lastEventId !== undefined) query.set('lastEventId', this.lastEventId);
    const source = new EventSource(`/events?${query.toString()}`);
    this.source = source;
    let opened = false;
    source.onopen = () => {
      opened = true;
      this.attempt = 0;
    };
    source.onmessage = (message: MessageEvent<string>) => {
      if (message.lastEventId) this.lastEventId = message.lastEventId;
      let event: LiveEvent;
      try {
        event = JSON.parse(message.data) as LiveEvent;
      } catch {
        return;
      }
      if (event.type === 'CONNECTED') this.onState('live');
      this.onEvent(event);
    };
    source.onerror = () => {
      source.close();
      if (this.source !== source || this.stopped) return;
      this.onState('reconnecting');
      // Refused before it opened: most likely an expired token.
      this.retry(!opened);
    };
  }

  private retry(refresh = false): void {
    if (this.stopped) return;
    const delay = RETRY_MS[Math.min(this.attempt++, RETRY_MS.length - 1)];
    this.waiting = true;
    this.refreshNext = refresh;
    this.timer = window.setTimeout(() => {
      this.waiting = false;
      void this.open(refresh);
    }, delay);
  }
}
