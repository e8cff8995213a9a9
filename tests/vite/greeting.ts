export function greeting(name: string): string {
  return `memwatch measured ${name}`;
}
