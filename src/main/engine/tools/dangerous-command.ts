// Shell commands that deserve the user's eyes even when shell runs without asking ("auto next N",
// "always"). gptme refuses a similar list outright (its shell_validation); Deskmate asks again
// instead, with the reason on the card, so the user stays the one who decides (issue 13).
//
// The command is read the way a shell splits it, not matched as text: quotes and backslashes are
// taken off words (`"git" add .`, `g\it add .`), `sudo`, `env` and the like are looked through,
// and code handed to another shell (`sh -c '…'`, `eval …`, `$(…)`) is read too. A command a model
// hides better than that (in a variable, in a file it wrote first) is beyond any such check:
// approval is the control, and this only keeps a grant from covering the worst of it.

import { splitShellCommand, type SimpleCommand, type Word } from './shell-words';

// Words that come before the command itself and change nothing about what it is (`}` ends a group:
// no command follows it).
const KEYWORDS = Object.freeze(['!', '{', 'if', 'then', 'else', 'elif', 'do', 'while', 'until', 'time']);
// Commands that run the command after their options: look through them.
const WRAPPERS = Object.freeze([
  'sudo',
  'doas',
  'env',
  'command',
  'builtin',
  'exec',
  'nohup',
  'nice',
  'xargs',
  'stdbuf',
  'timeout',
  'unbuffer',
]);
// Each wrapper's options that take the next word as a value (a wrong guess would skip the command).
// nice's `-n 5` needs none: its number is skipped as nice's adjustment.
const WRAPPER_VALUES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  sudo: ['-u', '-g', '-h', '-p', '-C', '-D', '-U', '-r', '-t', '-T'],
  doas: ['-u', '-C'],
  env: ['-u', '-C'],
  timeout: ['-s', '-k'],
  xargs: ['-I', '-L', '-P', '-d', '-E', '-n', '-s', '-a'],
  stdbuf: ['-i', '-o', '-e'],
});
const SHELLS = Object.freeze([
  'sh',
  'bash',
  'zsh',
  'dash',
  'ksh',
  'mksh',
  'ash',
  'fish',
  'csh',
  'tcsh',
  'busybox',
]);
const INTERPRETER = /^(?:python[0-9.]*|perl|ruby|node|nodejs|php|lua|deno|bun)$/;
const DOWNLOADER = /(?:^|[\s;|&(`/])(?:curl|wget|fetch|aria2c)(?=\s|$)/;
// How deep `sh -c "sh -c '…'"` is followed; deeper is itself a reason to look.
const MAX_DEPTH = 4;

const base = (word: string) => word.slice(word.lastIndexOf('/') + 1).toLowerCase();

/** The command's words from its name on: assignments, keywords and wrappers (with their options) skipped. */
function unwrap(words: readonly Word[]): Word[] {
  let i = 0;
  for (;;) {
    const word = words[i]?.text;
    if (word === undefined) return [];
    if (KEYWORDS.includes(word) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) {
      i++;
    } else if (WRAPPERS.includes(base(word))) {
      const wrapper = base(word);
      i++;
      // Options (with their values), timeout's duration, nice's adjustment; then the command. An
      // assignment after the options (`env A=1 git …`) is skipped as any other, above.
      for (let option = words[i]?.text; option?.startsWith('-'); option = words[i]?.text) {
        // `env -S 'git add .'` splits its value into the command and its arguments.
        if (wrapper === 'env' && (option === '-S' || option === '--split-string')) {
          const split = splitShellCommand(words[i + 1]?.text ?? '').flatMap((command) => command.words);
          return unwrap([...split, ...words.slice(i + 2)]);
        }
        i += WRAPPER_VALUES[wrapper]?.includes(option) ? 2 : 1;
      }
      if (wrapper === 'timeout' && /^[0-9.]+[smhd]?$/.test(words[i]?.text ?? '')) i++;
      if (wrapper === 'nice' && /^-?[0-9]+$/.test(words[i]?.text ?? '')) i++;
    } else {
      return words.slice(i);
    }
  }
}

/** Short option clusters (`-am`) and long options, for "does it have this flag". */
function hasFlag(args: readonly string[], short: string, long: readonly string[] = []): boolean {
  return args.some(
    (arg) =>
      long.includes(arg) || (/^-[A-Za-z]+$/.test(arg) && [...short].some((letter) => arg.includes(letter))),
  );
}

const BULK_GIT =
  'stages or commits every change at once, so files nobody meant to include (secrets, build output) go in; name the files instead';
const DESTRUCTIVE_GIT =
  'throws away commits or uncommitted work (hard reset, clean, force push, expiring the reflog, rewriting history); it cannot be undone';

function gitReason(args: readonly string[]): string | undefined {
  // Global options before the subcommand; -C and -c take a value.
  let i = 0;
  while (args[i]?.startsWith('-')) i += args[i] === '-C' || args[i] === '-c' ? 2 : 1;
  // Lower case, as gptme matches: on a case-insensitive file system `GIT` is git.
  const sub = args[i]?.toLowerCase();
  const rest = args.slice(i + 1);
  switch (sub) {
    case 'add':
      return rest.some((arg) => ['.', './', ':/', '*', '--all'].includes(arg)) || hasFlag(rest, 'A')
        ? BULK_GIT
        : undefined;
    case 'commit':
      return hasFlag(rest, 'a', ['--all']) ? BULK_GIT : undefined;
    case 'reset':
      return rest.includes('--hard') ? DESTRUCTIVE_GIT : undefined;
    case 'clean':
      return hasFlag(rest, 'fdxX', ['--force']) ? DESTRUCTIVE_GIT : undefined;
    case 'push':
      return hasFlag(rest, 'f', ['--force', '--mirror']) || rest.some((arg) => /^\+[^+]/.test(arg))
        ? DESTRUCTIVE_GIT
        : undefined;
    case 'reflog':
      return rest[0] === 'expire' ? DESTRUCTIVE_GIT : undefined;
    case 'filter-branch':
    case 'filter-repo':
      return DESTRUCTIVE_GIT;
  }
  return undefined;
}

/** Why one simple command is dangerous, if it is. `depth` counts the shells it is nested in. */
function commandReason(command: SimpleCommand, depth: number): string | undefined {
  const words = unwrap(command.words);
  const [first, ...argWords] = words;
  if (!first) return undefined;
  const name = base(first.text);
  const args = argWords.map((word) => word.text);
  const shell = SHELLS.includes(name);
  const interpreter = shell || INTERPRETER.test(name);

  // Code handed over as text is read as a command of its own: `-c`, alone or among other short
  // options (`-lc`, `-ce`), is followed by the code.
  const codeIndex = args.findIndex((arg) => /^-[a-z]*c[a-z]*$/.test(arg) || arg === '--command');
  if (shell && codeIndex !== -1) {
    const inner = reasonAt(args[codeIndex + 1] ?? '', depth + 1);
    if (inner) return inner;
  }
  // A here-document is data, unless a shell reads it as its script (`bash <<EOF`).
  if (shell && codeIndex === -1) {
    for (const body of command.heredocs) {
      const inner = reasonAt(body, depth + 1);
      if (inner) return inner;
    }
  }
  if (name === 'eval') {
    const inner = reasonAt(args.join(' '), depth + 1);
    if (inner) return inner;
  }
  if (interpreter || name === 'eval' || name === 'source' || name === '.') {
    const runsDownload = argWords.some((word) => word.substitutions.some((code) => DOWNLOADER.test(code)));
    if (runsDownload) return 'runs a script downloaded from the network, unseen before it runs';
  }
  if (command.piped && interpreter) {
    // The program comes from the pipe unless it is given: a script file, or the code or module
    // that follows -c, -e or -m (either way a word that is not an option).
    const given = args.some((arg) => !arg.startsWith('-'));
    if (!given || args.includes('-') || args.includes('-s'))
      return 'runs whatever comes through the pipe as code (for example a script fetched with curl), unseen before it runs';
  }

  switch (name) {
    case 'git':
      return gitReason(args);
    case 'rm': {
      const recursive = hasFlag(args, 'rR', ['--recursive']);
      const wide = args.some(
        (arg) =>
          arg === '--no-preserve-root' ||
          ['*', '.', './', './*', '.*'].includes(arg) ||
          (!arg.startsWith('-') && /^(?:\/|~|\$HOME|\$\{HOME\}|\.\.(?:\/|$))/.test(arg)),
      );
      return recursive && wide
        ? 'deletes recursively from the root, the home folder, an absolute path or everything here; name the exact folder instead'
        : undefined;
    }
    case 'chmod': {
      const mode = args.find((arg) => !arg.startsWith('-'));
      const worldWritable =
        mode !== undefined &&
        (/^[0-7]{0,2}[0-7][2367]$/.test(mode) || /(?:^|,)[ugo]*[ao][ugo]*[+=][rwxXst]*w/.test(mode));
      return worldWritable ? 'makes files writable by every user on the machine; use 755 or 644' : undefined;
    }
    case 'pkill':
    case 'killall':
      return 'kills processes by name, which may hit more than the one meant; find its PID and use kill PID';
    case 'dd':
      return args.some((arg) => arg.startsWith('of=/dev/'))
        ? 'writes straight to a device, such as a disk'
        : undefined;
    default:
      return name.startsWith('mkfs') ? 'makes a new file system, erasing what the device holds' : undefined;
  }
}

function reasonAt(source: string, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return 'hands code to a shell inside a shell too many times over to be checked';
  for (const command of splitShellCommand(source)) {
    const reason = commandReason(command, depth);
    if (reason) return reason;
    // `$(…)` and `<(…)` run too, wherever they stand.
    for (const word of command.words)
      for (const code of word.substitutions) {
        const inner = reasonAt(code, depth + 1);
        if (inner) return inner;
      }
  }
  return undefined;
}

/**
 * Why a shell command deserves the user's own look even under a grant (a sentence to show on the
 * card, starting in lower case after "This command"), or undefined for an ordinary command.
 */
export function dangerousCommand(command: string): string | undefined {
  return reasonAt(command, 0);
}
