import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LastUsedRecorder } from '@/common/last-used/last-used-recorder';

/** When each API key was last used (`lastUsedAt`), written in batches. */
@Injectable()
export class KeyUsageRecorder extends LastUsedRecorder {
  constructor(dataSource: DataSource) {
    super(dataSource, 'api_keys');
  }
}
