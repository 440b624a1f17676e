// The core writes commands and names in its messages between backticks, as in Markdown;
// they read better set as code.
import type { ReactElement } from 'react';

export function RichText({ text }: { text: string }): ReactElement {
  const parts = text.split(/`([^`]+)`/);
  return (
    <>{parts.map((part, index) => (index % 2 === 1 ? <code key={index}>{part}</code> : part))}</>
  );
}
