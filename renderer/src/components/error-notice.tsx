// An error where it happened: its code, the message and, when the core gave one, what to do.
import type { ReactElement } from 'react';

import type { ErrorValue } from '../../../main/shared/contract.js';
import { RichText } from './rich-text.js';

interface ErrorNoticeProps {
  error: ErrorValue | null | undefined;
  /** What was being done, e.g. "Could not load the templates". */
  title?: string;
  onRetry?: () => void;
}

export function ErrorNotice({ error, title, onRetry }: ErrorNoticeProps): ReactElement | null {
  if (!error) return null;
  return (
    <div className="error-notice" role="alert">
      <div className="error-notice-head">
        {title ? <strong>{title}</strong> : null}
        <code className="error-code">{error.code}</code>
      </div>
      <p className="error-message">
        <RichText text={error.message} />
      </p>
      {error.hint ? (
        <p className="error-hint">
          <RichText text={error.hint} />
        </p>
      ) : null}
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
