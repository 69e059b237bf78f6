import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';

export class TermParam {
  @ApiProperty({ example: '2020-autumn' })
  @Matches(/^\d{4}-(spring|autumn)$/, { message: 'term must look like 2020-autumn or 2020-spring' })
  term: string;
}

export class CountyQuery {
  @ApiPropertyOptional({ example: '150821' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'county must be a 6-digit GB/T 2260 code' })
  county?: string;
}

export class ImportQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() importId?: string;
}
