export { Alert } from "./Alert.tsx";
export { Button } from "./Button.tsx";
export { ConfirmDialog } from "./ConfirmDialog.tsx";
export { Dialog } from "./Dialog.tsx";
export { EmptyState } from "./EmptyState.tsx";
export { Field } from "./Field.tsx";
export { Loading, Spinner } from "./Loading.tsx";
export { Menu, type MenuItem } from "./Menu.tsx";
export { Page, useDocumentTitle } from "./Page.tsx";
