export { Button, LinkButton, type ButtonProps, type LinkButtonProps, type ButtonVariant } from './Button';
export {
  TextField,
  TextArea,
  Select,
  Checkbox,
  Switch,
  FormError,
  type TextFieldProps,
  type TextAreaProps,
  type SelectProps,
  type CheckboxProps,
} from './Field';
export { Dialog, type DialogProps } from './Dialog';
export { ToastProvider } from './Toast';
export { useToast, type ToastOptions, type ToastTone } from './toast-context';
export { Spinner, Skeleton, PageLoader } from './Spinner';
export { EmptyState, ErrorState, QueryView } from './States';
export { PageHeader } from './PageHeader';
export { SkipLink } from './SkipLink';
export { AppShell } from './AppShell';
export { RouteError } from './RouteError';
