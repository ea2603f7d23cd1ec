import { session } from './session.svelte';

/** At most one activity report per this many seconds (less when auto-lock is short: a quarter of its time). */
const REPORT_EVERY_S = 15;
/** The warning comes this long before the idle lock, or a quarter of the idle time when that is shorter. */
const WARN_S = 60;
const EVENTS = ['keydown', 'pointerdown', 'input'] as const;

/**
 * The idle lock as the person meets it. Typing, clicks and keys in the page
 * are activity: reported to the core (which restarts the vault's idle clock)
 * at most every 15 s, the last one of a burst included. Before the lock
 * comes, a warning counts down; the time comes from the core's status
 * (AutoLockAt), checked again before the warning shows, for any call (also
 * from the command line) moves it.
 */
class Idle {
  /** The page's clock, ticking each second while unlocked. */
  now = $state(Date.now());
  /** The AutoLockAt that the core confirmed at the start of a warning. */
  private confirmed = $state<number | undefined>(undefined);
  /** The AutoLockAt whose check has been asked for. */
  private checkedFor: number | undefined;
  private lastReport = 0;
  private queued: ReturnType<typeof setTimeout> | undefined;

  /** Seconds until the idle lock, while unlocked with auto-lock on. */
  readonly secondsLeft = $derived.by(() => {
    const at = session.status?.AutoLockAt;
    return session.unlocked && at !== undefined ? Math.max(0, Math.ceil(at - this.now / 1000)) : undefined;
  });

  private readonly autoLock = $derived(session.status?.AutoLockSeconds ?? 0);
  private readonly lead = $derived(Math.min(WARN_S, this.autoLock / 4));
  private readonly due = $derived(this.secondsLeft !== undefined && this.secondsLeft <= this.lead);

  /** True while the warning shows. */
  readonly warning = $derived(this.due && this.confirmed === session.status?.AutoLockAt);

  start(): void {
    for (const type of EVENTS) window.addEventListener(type, () => { this.noteActivity(); }, { capture: true, passive: true });
    setInterval(() => { this.tick(); }, 1000);
  }

  /** "Stay unlocked": reports activity now. */
  stayUnlocked(): void {
    clearTimeout(this.queued);
    this.queued = undefined;
    this.report();
  }

  private tick(): void {
    this.now = Date.now();
    if (!this.due) return;
    const at = session.status?.AutoLockAt;
    if (this.checkedFor !== at) {
      this.checkedFor = at; // the warning shows once the core says the time still stands
      void session.check().then(() => {
        this.confirmed = session.status?.AutoLockAt;
      });
    } else if (this.secondsLeft === 0) void session.check(); // the lock is due: the screen follows it
  }

  private noteActivity(): void {
    if (!session.unlocked || this.autoLock === 0 || this.queued !== undefined) return;
    const every = Math.min(REPORT_EVERY_S, this.autoLock / 4) * 1000;
    const wait = this.lastReport + every - Date.now();
    if (wait <= 0) this.report();
    else this.queued = setTimeout(() => { this.report(); }, wait);
  }

  private report(): void {
    this.queued = undefined;
    this.lastReport = Date.now();
    void session.reportActivity();
  }
}

export const idle = new Idle();
