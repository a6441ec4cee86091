// Placeholder until the server lands: keeps `npm run build` green.
export {};
