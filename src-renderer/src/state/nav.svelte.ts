import { notices } from './notices.svelte';

/** The sections of the console, in the navigation's order. */
export const SECTIONS = [
  { id: 'keys', label: 'Keys' },
  { id: 'crypto', label: 'Crypto' },
  { id: 'files', label: 'Files' },
  { id: 'contacts', label: 'Contacts' },
  { id: 'users', label: 'Users' },
  { id: 'ceremonies', label: 'Ceremonies' },
  { id: 'audit', label: 'Audit' },
  { id: 'settings', label: 'Settings' },
] as const;

export type SectionId = (typeof SECTIONS)[number]['id'];

/** Where the person is: the section shown, kept while the vault locks so that unlocking comes back to it. */
class Nav {
  section = $state<SectionId>('keys');
  /** Bumped each time the section's own entry is chosen again (Keys again closes a key's detail). */
  reentered = $state(0);

  /** Shows `section`; the notices of the screen left behind go with it. */
  go(section: SectionId): void {
    if (section === this.section) this.reentered += 1;
    else notices.clearScreen();
    this.section = section;
  }
}

export const nav = new Nav();
