/** The colour theme: the system's (light or dark, following it as it changes), or one chosen in Settings and kept in this browser. */
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'strongroom.theme';

function stored(): ThemeChoice {
  const value = localStorage.getItem(KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

class Theme {
  choice = $state<ThemeChoice>(stored());

  constructor() {
    this.apply();
  }

  choose(choice: ThemeChoice): void {
    this.choice = choice;
    if (choice === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, choice);
    this.apply();
  }

  /** app.css follows prefers-color-scheme unless <html data-theme> names a theme. */
  private apply(): void {
    if (this.choice === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = this.choice;
  }
}

export const theme = new Theme();
