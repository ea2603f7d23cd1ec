import { migration0001 } from './0001-init';
import { migration0002 } from './0002-kms';
import { migration0003 } from './0003-state-seal';
import { migration0004 } from './0004-audit-checkpoints';
import { migration0005 } from './0005-key-list-sorts';
import { migration0006 } from './0006-audit-search';
import { migration0007 } from './0007-imported-material';
import { migration0008 } from './0008-custom-key-stores';
import { migration0009 } from './0009-key-policies';
import { migration0010 } from './0010-grants';
import { migration0011 } from './0011-iam';
import { migration0012 } from './0012-contacts';
import { migration0013 } from './0013-age-identities';
import { migration0014 } from './0014-recovery-split';
import { migration0015 } from './0015-retired-audit-keys';
import { migration0016 } from './0016-exportable-keys';
import { migration0017 } from './0017-multi-region-keys';
import type { Migration } from './types';

/** Every migration, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008, migration0009, migration0010, migration0011, migration0012, migration0013, migration0014, migration0015, migration0016, migration0017];
