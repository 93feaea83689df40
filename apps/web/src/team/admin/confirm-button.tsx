import { useEffect, useRef, useState } from 'react';

/**
 * A destructive action behind a second, explicit step: the button opens a small group that asks
 * `question`, with the confirming button (`confirmLabel`) and "Cancel" (focused: Enter is safe).
 */
export function ConfirmButton(props: {
  /** Visible text of the first button. */
  children: string;
  /** Its accessible name (should start with the visible text, e.g. "Delete general"). */
  label: string;
  question: string;
  confirmLabel: string;
  disabled?: boolean;
  onConfirm: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  // Cancelling (button or Escape) puts the focus back on the button that asked.
  const refocus = useRef(false);
  useEffect(() => {
    if (!asking && refocus.current) {
      refocus.current = false;
      button.current?.focus();
    }
  }, [asking]);
  const cancel = () => {
    refocus.current = true;
    setAsking(false);
  };

  if (!asking) {
    return (
      <button
        ref={button}
        type="button"
        className="secondary danger"
        aria-label={props.label}
        disabled={props.disabled}
        onClick={() => setAsking(true)}
      >
        {props.children}
      </button>
    );
  }
  return (
    <span
      role="group"
      aria-label={props.question}
      className="admin-confirm"
      onKeyDown={(e) => {
        if (e.key === 'Escape') cancel();
      }}
    >
      <span>{props.question}</span>
      <button
        type="button"
        className="danger"
        disabled={props.disabled}
        onClick={() => {
          setAsking(false);
          props.onConfirm();
        }}
      >
        {props.confirmLabel}
      </button>
      <button type="button" className="secondary" autoFocus onClick={cancel}>
        Cancel
      </button>
    </span>
  );
}
