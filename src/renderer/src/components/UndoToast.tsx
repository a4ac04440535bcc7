import { useWindow, useWindowState } from '../store/window-context';
import './UndoToast.css';

/** One line per conversation deleted a moment ago, each with its Undo, until the offer runs out. */
export function UndoToast() {
  const { actions } = useWindow();
  const deleting = useWindowState((s) => s.deleting);
  if (deleting.length === 0) return null;
  return (
    <div className="undo-toasts" role="status" aria-live="polite">
      {deleting.map((item, i) => (
        <div key={item.id} className="undo-toast" data-testid="undo-toast">
          <span className="undo-text">
            Deleted <strong>{item.name}</strong>
          </span>
          <button
            type="button"
            data-testid="undo-delete"
            // The newest offer takes focus: a keyboard user undoes with one key.
            autoFocus={i === deleting.length - 1}
            onClick={() => void actions.undoDelete(item.id)}
          >
            Undo
          </button>
        </div>
      ))}
    </div>
  );
}
