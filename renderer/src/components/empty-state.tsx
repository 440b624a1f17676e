// What a page shows when it has nothing yet: what this place is for and the next step.
import type { ReactElement, ReactNode } from 'react';

interface EmptyStateProps {
  title: string;
  children: ReactNode;
  action?: ReactNode;
}

export function EmptyState({ title, children, action }: EmptyStateProps): ReactElement {
  return (
    <div className="empty-state">
      <h3>{title}</h3>
      <div className="empty-state-text">{children}</div>
      {action ? <div className="empty-state-action">{action}</div> : null}
    </div>
  );
}
