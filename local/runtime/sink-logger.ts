import { Logger, type LogItem } from "@aws-lambda-powertools/logger";
import type { ConstructorOptions } from "@aws-lambda-powertools/logger/types";

/** Receives each structured log line a Powertools Logger prints (one JSON document per line). */
export type LogSink = (line: string) => void;

/**
 * A Powertools Logger whose lines go to a sink instead of stdout: the local stack can hand every
 * function's logs to a test (which scans them for secrets) or to a file, with the exact JSON the
 * Lambda runtime would ship to CloudWatch.
 */
export class SinkLogger extends Logger {
  private readonly sink: LogSink;

  constructor(options: ConstructorOptions, sink: LogSink) {
    super(options);
    this.sink = sink;
  }

  protected override printLog(logLevel: number, log: LogItem): void {
    // The base constructor may log before `sink` is set: such lines go where Powertools sends them.
    if (this.sink === undefined) {
      super.printLog(logLevel, log);
      return;
    }
    log.prepareForPrint();
    this.sink(JSON.stringify(log.getAttributes(), this.getJsonReplacer()));
  }
}

/** Loggers for the local stack's functions: quiet on the console, everything into `sink` when given. */
export function localLogger(serviceName: string, sink: LogSink | undefined): Logger {
  return sink === undefined
    ? new Logger({ serviceName, logLevel: "WARN" })
    : new SinkLogger({ serviceName, logLevel: "DEBUG" }, sink);
}
