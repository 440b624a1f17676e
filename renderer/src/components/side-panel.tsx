// A panel that slides in from the right, as Kleinkram's launch drawer does. It is a native
// modal <dialog>: the browser keeps focus inside it, Escape closes it, the page behind is
// inert, and focus goes back to the button that opened it.
import { useEffect, useId, useRef, type ReactElement, type ReactNode } from 'react';

import { Icon } from './icons.js';

interface SidePanelProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
}

export function SidePanel({ title, onClose, children }: SidePanelProps): ReactElement {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement;
    dialog.showModal();
    return () => {
      dialog.close();
      // The browser gives focus back only when a dialog closes in the page; this one is
      // removed with its parent's state, so the opener is focused here.
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className="side-panel"
      aria-labelledby={titleId}
      onCancel={(event) => {
        // Closing is the parent's decision: it unmounts the panel, which closes the dialog.
        event.preventDefault();
        onClose();
      }}
    >
      <header className="side-panel-head">
        <h2 id={titleId}>{title}</h2>
        <button
          type="button"
          className="icon-button"
          aria-label="Close"
          title="Close"
          onClick={onClose}
        >
          <Icon name="close" />
        </button>
      </header>
      <div className="side-panel-body">{children}</div>
    </dialog>
  );
}
