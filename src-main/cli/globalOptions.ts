/** The options given before any command (`--home`, `--pin-file`), as every command reads them. */
export interface GlobalOptions {
  home: string;
  /** Where the token PIN is read from, when not from STRONGROOM_PIN or a prompt. */
  pinFile?: string | undefined;
}
