import { AppVersion } from './app-version.entity';
import { Banner } from './banner.entity';
import { Broadcast } from './broadcast.entity';
import { ContentPage } from './content-page.entity';
import { FaqItem } from './faq-item.entity';
import { FcmLog } from './fcm-log.entity';
import { MediaUpload } from './media-upload.entity';
import { Notification } from './notification.entity';

/** The engagement module's MikroORM entities (its tables), listed explicitly so discovery works the same in ts, js and jest. */
export const engagementEntities = [AppVersion, Banner, ContentPage, FaqItem, FcmLog, MediaUpload, Notification, Broadcast];
export { AppVersion, Banner, ContentPage, FaqItem, FcmLog, MediaUpload, Notification, Broadcast };
