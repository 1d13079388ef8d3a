import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LastUsedRecorder } from '@/common/last-used/last-used-recorder';

/** When each session was last used by an access token (`lastUsedAt`), written in batches. */
@Injectable()
export class SessionUsageRecorder extends LastUsedRecorder {
  constructor(dataSource: DataSource) {
    super(dataSource, 'sessions');
  }
}
