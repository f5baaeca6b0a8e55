import type { ComponentProps } from 'react';
import { Link } from 'react-router';
import { Spinner } from './Spinner';

export type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger';
export type ButtonSize = 'md' | 'sm';

function classes(variant: ButtonVariant, size: ButtonSize, block: boolean, extra?: string): string {
  return ['btn', `btn--${variant}`, size === 'sm' && 'btn--sm', block && 'btn--block', extra].filter(Boolean).join(' ');
}

export interface ButtonProps extends ComponentProps<'button'> {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** full width */
  block?: boolean;
  /** shows a spinner, sets aria-busy and disables the button (keeps its width) */
  loading?: boolean;
}

/** A button. `type` defaults to "button" (pass type="submit" in forms). */
export function Button({
  variant = 'primary',
  size = 'md',
  block = false,
  loading = false,
  disabled,
  className,
  children,
  type = 'button',
  ...rest
}: ButtonProps) {
  return (
    <button
      type={type}
      className={classes(variant, size, block, className)}
      disabled={disabled || loading}
      aria-busy={loading || undefined}
      {...rest}
    >
      {loading && <Spinner size="sm" decorative />}
      <span>{children}</span>
    </button>
  );
}

export interface LinkButtonProps extends ComponentProps<typeof Link> {
  variant?: ButtonVariant;
  size?: ButtonSize;
  block?: boolean;
}

/** A router link that looks like a button (navigation must stay a link for assistive tech). */
export function LinkButton({ variant = 'primary', size = 'md', block = false, className, ...rest }: LinkButtonProps) {
  return <Link className={classes(variant, size, block, className)} {...rest} />;
}
