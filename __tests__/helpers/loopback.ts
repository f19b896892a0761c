import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Loopback {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string
  port: number
  /** Closes the server and every connection, hung requests included. */
  close(): Promise<void>
}

/** Starts `server` on a free port of the loopback interface, for the stand-ins. */
export async function listenOnLoopback(server: Server): Promise<Loopback> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  let closed = false
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      if (closed) return
      closed = true
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
