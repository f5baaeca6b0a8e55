import type { ReactNode } from 'react';
import { useCommon } from '../i18n/react';
import { Button, type ButtonVariant } from './Button';
import { Dialog } from './Dialog';

export interface ConfirmDialogProps {
  open: boolean;
  title: ReactNode;
  description?: ReactNode;
  /** the confirm button's text (name it after the action: "Delete", "Requeue"…) */
  confirmLabel: string;
  cancelLabel?: string;
  /** danger (default) for destructive actions, primary otherwise */
  tone?: Extract<ButtonVariant, 'danger' | 'primary'>;
  /** the confirm button shows a spinner and both buttons are disabled */
  busy?: boolean;
  /** "dialog" for confirmations that destroy nothing (default "alertdialog") */
  role?: 'dialog' | 'alertdialog';
  /** an error to show inside the dialog (announced) */
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
  children?: ReactNode;
}

/**
 * "Are you sure?" around `Dialog`: role="alertdialog" by default, never dismissed by a backdrop click,
 * Cancel first so a stray Enter does not confirm.
 */
export function ConfirmDialog({
  open,
  title,
  description,
  confirmLabel,
  cancelLabel,
  tone = 'danger',
  busy = false,
  role = 'alertdialog',
  error,
  onConfirm,
  onCancel,
  children,
}: ConfirmDialogProps) {
  const t = useCommon();
  return (
    <Dialog
      open={open}
      onClose={() => {
        if (!busy) onCancel();
      }}
      title={title}
      description={description}
      role={role}
      dismissOnBackdrop={false}
      footer={
        <>
          <Button variant="secondary" onClick={onCancel} disabled={busy}>
            {cancelLabel ?? t('cancel')}
          </Button>
          <Button variant={tone} onClick={onConfirm} loading={busy}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {children}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </Dialog>
  );
}
