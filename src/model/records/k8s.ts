/** Records from Kubernetes, MetalLB, cert-manager and Vagrant state. */
import type { z } from 'zod';

/** Schemas contributed by this file to the record union. */
export const k8sSchemas = [] as const satisfies readonly z.ZodTypeAny[];
