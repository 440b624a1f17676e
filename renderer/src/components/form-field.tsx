// A labelled form field with its hint, its errors and its warnings under it. The messages are
// tied to the control (aria-describedby), so a screen reader reads them with the field.
import type { ReactElement, ReactNode } from 'react';

import { RichText } from './rich-text.js';

interface FormFieldProps {
  id: string;
  label: string;
  hint?: ReactNode;
  errors?: readonly string[] | undefined;
  warnings?: readonly string[] | undefined;
  /** Render the control with these props: they tie it to the label and the messages. */
  children: (control: ControlProps) => ReactNode;
}

export interface ControlProps {
  id: string;
  'aria-describedby': string;
  'aria-invalid': boolean;
}

export function FormField(props: FormFieldProps): ReactElement {
  const { id, label, hint, errors = [], warnings = [] } = props;
  const messagesId = `${id}-messages`;
  return (
    <div className={`form-field${errors.length > 0 ? ' has-error' : ''}`} data-field={id}>
      <label htmlFor={id}>{label}</label>
      {props.children({
        id,
        'aria-describedby': messagesId,
        'aria-invalid': errors.length > 0,
      })}
      <div id={messagesId} className="field-messages">
        {errors.map((message) => (
          <p key={`e-${message}`} className="field-error">
            <RichText text={message} />
          </p>
        ))}
        {warnings.map((message) => (
          <p key={`w-${message}`} className="field-warning">
            <RichText text={message} />
          </p>
        ))}
        {hint && errors.length === 0 ? <p className="field-hint">{hint}</p> : null}
      </div>
    </div>
  );
}
