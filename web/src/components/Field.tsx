import { useId, type ComponentProps, type ReactNode } from 'react';

// Form fields. Each renders a <label>, the control, an optional hint and an error; the control gets
// aria-describedby (hint + error) and aria-invalid. They accept react-hook-form's register():
//   <TextField label={t('email')} error={errors.email?.message} {...register('email')} />

interface FieldChrome {
  label: ReactNode;
  hint?: ReactNode;
  /** the message to show (from formState.errors.<field>?.message) */
  error?: string | undefined;
  /** visually hide the label (it stays for screen readers) */
  hideLabel?: boolean;
}

function useFieldIds(id: string | undefined, hint: unknown, error: unknown) {
  const generated = useId();
  const inputId = id ?? generated;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return { inputId, hintId, errorId, describedBy };
}

function Chrome({
  inputId,
  label,
  hideLabel,
  hint,
  hintId,
  error,
  errorId,
  required,
  children,
}: FieldChrome & { inputId: string; hintId?: string; errorId?: string; required?: boolean; children: ReactNode }) {
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label htmlFor={inputId} className={hideLabel ? 'field__label visually-hidden' : 'field__label'}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      {children}
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

export type TextFieldProps = FieldChrome & Omit<ComponentProps<'input'>, 'children'>;

export function TextField({ label, hint, error, hideLabel, id, className, ...input }: TextFieldProps) {
  const ids = useFieldIds(id, hint, error);
  return (
    <Chrome {...{ label, hint, error, hideLabel }} {...ids} required={input.required}>
      <input
        id={ids.inputId}
        className={['input', className].filter(Boolean).join(' ')}
        aria-invalid={error ? true : undefined}
        aria-describedby={ids.describedBy}
        {...input}
      />
    </Chrome>
  );
}

export type TextAreaProps = FieldChrome & Omit<ComponentProps<'textarea'>, 'children'>;

export function TextArea({ label, hint, error, hideLabel, id, className, ...textarea }: TextAreaProps) {
  const ids = useFieldIds(id, hint, error);
  return (
    <Chrome {...{ label, hint, error, hideLabel }} {...ids} required={textarea.required}>
      <textarea
        id={ids.inputId}
        className={['input', 'input--textarea', className].filter(Boolean).join(' ')}
        aria-invalid={error ? true : undefined}
        aria-describedby={ids.describedBy}
        {...textarea}
      />
    </Chrome>
  );
}

export type SelectProps = FieldChrome & ComponentProps<'select'>;

export function Select({ label, hint, error, hideLabel, id, className, children, ...select }: SelectProps) {
  const ids = useFieldIds(id, hint, error);
  return (
    <Chrome {...{ label, hint, error, hideLabel }} {...ids} required={select.required}>
      <select
        id={ids.inputId}
        className={['input', 'input--select', className].filter(Boolean).join(' ')}
        aria-invalid={error ? true : undefined}
        aria-describedby={ids.describedBy}
        {...select}
      >
        {children}
      </select>
    </Chrome>
  );
}

export type CheckboxProps = Omit<FieldChrome, 'hideLabel'> & Omit<ComponentProps<'input'>, 'type' | 'children' | 'role'>;

function Toggle({ label, hint, error, id, className, role, ...input }: Omit<CheckboxProps, 'role'> & { role?: 'switch' }) {
  const ids = useFieldIds(id, hint, error);
  return (
    <div className={`field field--check${error ? ' field--invalid' : ''}`}>
      <div className="check">
        <input
          id={ids.inputId}
          type="checkbox"
          role={role}
          className={[role === 'switch' ? 'switch' : 'checkbox', className].filter(Boolean).join(' ')}
          aria-invalid={error ? true : undefined}
          aria-describedby={ids.describedBy}
          {...input}
        />
        <label htmlFor={ids.inputId}>{label}</label>
      </div>
      {hint && (
        <p id={ids.hintId} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={ids.errorId} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

export function Checkbox(props: CheckboxProps) {
  return <Toggle {...props} />;
}

/** An on/off setting: a checkbox with role="switch". */
export function Switch(props: CheckboxProps) {
  return <Toggle {...props} role="switch" />;
}

/** The form-level error (`formState.errors.root?.server?.message`), announced when it appears. */
export function FormError({ message }: { message?: string | undefined }) {
  return (
    <div className="form-error" role="alert">
      {message}
    </div>
  );
}
