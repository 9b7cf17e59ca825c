import { Achievement } from './achievement.entity';
import { SocialEvent } from './social-event.entity';
import { SocialStats } from './social-stats.entity';
import { UserAchievement } from './user-achievement.entity';

/** The social module's MikroORM entities (its tables), listed explicitly so discovery works the same in ts, js and jest. */
export const socialEntities = [Achievement, SocialEvent, SocialStats, UserAchievement];
export { Achievement, SocialEvent, SocialStats, UserAchievement };
