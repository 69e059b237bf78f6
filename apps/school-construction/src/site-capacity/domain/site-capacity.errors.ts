import { DomainError } from '@edu/contracts';

export enum SiteCapacityErrorCode {
  NotFound = 'SITE_NOT_FOUND',
}

export const siteCapacityError = {
  notFound: () => new DomainError(SiteCapacityErrorCode.NotFound, 'no such relocation site', 'not_found'),
};
