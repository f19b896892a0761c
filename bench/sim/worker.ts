import { parentPort } from 'node:worker_threads'
import { runJob, type Job } from './units.js'

// One bench:decisions worker: runs each job it is sent and answers with the counts.
parentPort?.on('message', (job: Job) => {
  parentPort?.postMessage(runJob(job))
})
