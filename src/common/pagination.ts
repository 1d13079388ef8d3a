import { BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { isUuid } from './uuid';

export const MAX_PAGE_SIZE = 100;

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 50;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

/** A position in a newest-first list: the last item's creation time and id. */
export interface Cursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(item: Cursor): string {
  return Buffer.from(`${item.createdAt.toISOString()}|${item.id}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Cursor | undefined {
  if (cursor === undefined) return undefined;
  const [time, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(time ?? '');
  const year = createdAt.getUTCFullYear();
  if (Number.isNaN(year) || year < 1970 || year > 9999 || !isUuid(id)) {
    throw new BadRequestException('cursor is not one this API returned');
  }
  return { createdAt, id };
}

export interface Page<D> {
  items: D[];
  nextCursor: string | null;
}

/**
 * Runs `query` as one page of a newest-first list keyed by (createdAt, id) of its main alias.
 * It fetches limit + 1 rows: the extra one only says whether there is a next page.
 */
export async function paginate<T extends Cursor & ObjectLiteral, D>(
  query: SelectQueryBuilder<T>,
  page: PageQueryDto,
  map: (row: T) => D,
): Promise<Page<D>> {
  const cursor = decodeCursor(page.cursor);
  const alias = query.alias;
  query
    .orderBy(`${alias}.createdAt`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .limit(page.limit + 1);
  if (cursor) {
    query.andWhere(`(${alias}.createdAt, ${alias}.id) < (:cursorCreatedAt, :cursorId)`, {
      cursorCreatedAt: cursor.createdAt,
      cursorId: cursor.id,
    });
  }
  const rows = await query.getMany();
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(map),
    nextCursor: rows.length > page.limit && last ? encodeCursor(last) : null,
  };
}
