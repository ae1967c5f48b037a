import type { IncomingMessage } from "node:http";

/** True for 127.0.0.0/8 and ::1, written plainly or as IPv4-mapped IPv6 (`::ffff:127.0.0.1`). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.toLowerCase().startsWith("::ffff:") ? address.slice(7) : address;
  return plain === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}

/** True when the Host header names this machine; refuses pages from other sites reaching us by DNS rebinding. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return true;
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d+$/, "");
  return name === "localhost" || name === "[::1]" || isLoopbackAddress(name);
}

/**
 * Why the playground refuses a request, or undefined when it may proceed. The playground lets
 * anyone act as anyone, so only this machine may reach it, even if the server listens wider.
 */
export function refusal(req: IncomingMessage): string | undefined {
  if (!isLoopbackAddress(req.socket.remoteAddress)) return "the playground only answers this machine";
  if (!isLoopbackHost(req.headers.host)) return "the playground only answers localhost";
  return undefined;
}
