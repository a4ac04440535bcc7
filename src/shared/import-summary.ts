/** One gptme conversation copied in: its folder's name in the source, its id here, what to know. */
export interface ImportedConversation {
  /** The source folder's name, with any control character written out (printable). */
  folder: string;
  id: string;
  /** What was not taken as it was: lines that cannot be read, a config.toml left out, a workspace. */
  notes: string[];
}

/** What an import did, folder by folder. */
export interface ImportSummary {
  /** The folder the conversations came from. */
  source: string;
  imported: ImportedConversation[];
  /** Already in Deskmate with the same log (imported before): nothing was added for them. */
  alreadyPresent: Array<{ folder: string; id: string }>;
  /** Not imported, each with the reason. */
  unreadable: Array<{ folder: string; reason: string }>;
}

/** Sent during an import: after every hundredth conversation, `done` of `total` are decided. */
export interface ImportProgress {
  done: number;
  total: number;
}
