import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes that make every run findable in the Temporal UI. */
export const SA_USER_ID = defineSearchAttributeKey('UserId', SearchAttributeType.KEYWORD);
export const SA_STATION_SN = defineSearchAttributeKey('StationSn', SearchAttributeType.KEYWORD);
export const SA_BUSINESS_STATUS = defineSearchAttributeKey('BusinessStatus', SearchAttributeType.KEYWORD);
export const SA_SURFACE = defineSearchAttributeKey('Surface', SearchAttributeType.KEYWORD);

export const CUSTOM_SEARCH_ATTRIBUTES = [SA_USER_ID, SA_STATION_SN, SA_BUSINESS_STATUS, SA_SURFACE];
