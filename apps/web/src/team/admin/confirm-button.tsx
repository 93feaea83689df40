import { useState } from 'react';

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
  if (!asking) {
    return (
      <button
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
    <span role="group" aria-label={props.question} className="admin-confirm">
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
      <button type="button" className="secondary" autoFocus onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
