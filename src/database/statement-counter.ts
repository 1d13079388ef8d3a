import { AbstractLogger, LogLevel, LogMessage } from 'typeorm';

/**
 * TypeORM's logger, used only to count the SQL statements this instance sends (migrations
 * included): the operator metrics report it, and the benchmark divides it by requests to show
 * what each route costs the database. Logs nothing; errors reach the app's own logs.
 */
export class StatementCounter extends AbstractLogger {
  private count = 0;

  get statements(): number {
    return this.count;
  }

  override logQuery(): void {
    this.count += 1;
  }

  protected writeLog(_level: LogLevel, _message: LogMessage | LogMessage[]): void {}
}
