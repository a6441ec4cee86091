// Placeholder until the client lands: keeps `npm run build` green.
export function activate(): void {}
export function deactivate(): void {}
