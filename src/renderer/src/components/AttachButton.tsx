import { useRef, useState } from 'react';
import { useWindow, useWindowState } from '../store/window-context';
import { Icon } from './Icon';
import './AttachButton.css';

const isAbsolute = (path: string) =>
  path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');

/**
 * Attach files to the next message. Where a chosen file comes with its path (Electron), the
 * system's file chooser; in a browser tab, which hides paths, a field for the file's full path.
 */
export function AttachButton() {
  const { actions, client } = useWindow();
  const typed = useWindowState((s) => s.host?.filePaths === false);
  const chooser = useRef<HTMLInputElement>(null);
  const [open, setOpen] = useState(false);
  const [path, setPath] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  if (!typed) {
    return (
      <>
        <button
          type="button"
          className="attach-button"
          title="Attach files"
          aria-label="Attach files"
          onClick={() => chooser.current?.click()}
        >
          <Icon name="paperclip" size={17} />
        </button>
        <input
          ref={chooser}
          className="attach-chooser"
          type="file"
          multiple
          tabIndex={-1}
          aria-hidden="true"
          onChange={(e) => {
            const paths = [...(e.target.files ?? [])]
              .map((f) => client.pathForFile(f))
              .filter((p): p is string => Boolean(p));
            if (paths.length) actions.addAttachments(paths);
            e.target.value = '';
          }}
        />
      </>
    );
  }

  const close = () => {
    setOpen(false);
    setProblem(null);
  };
  const attach = () => {
    const value = path.trim();
    if (!isAbsolute(value)) {
      setProblem('Enter the full path of a file on this computer, starting with /');
      return;
    }
    actions.addAttachments([value]);
    setPath('');
    close();
  };
  return (
    <span className="attach-typed">
      <button
        type="button"
        className="attach-button"
        title="Attach a file by its path"
        aria-label="Attach a file by its path"
        aria-expanded={open}
        onClick={() => (open ? close() : setOpen(true))}
      >
        <Icon name="paperclip" size={17} />
      </button>
      {open && (
        <span className="attach-path" role="group" aria-label="Attach a file" data-testid="attach-path">
          <input
            autoFocus
            aria-label="File path"
            aria-invalid={problem !== null}
            aria-describedby={problem ? 'attach-path-problem' : undefined}
            placeholder="/absolute/path/to/file"
            spellCheck={false}
            value={path}
            onChange={(e) => {
              setPath(e.target.value);
              setProblem(null);
            }}
            onKeyDown={(e) => {
              // Its own Enter: the composer's form would send the message.
              if (e.key === 'Enter') {
                e.preventDefault();
                attach();
              }
              if (e.key === 'Escape') {
                e.stopPropagation();
                close();
              }
            }}
          />
          <button type="button" onClick={attach}>
            Attach
          </button>
          {problem && (
            <span id="attach-path-problem" className="attach-problem" role="alert">
              {problem}
            </span>
          )}
        </span>
      )}
    </span>
  );
}
