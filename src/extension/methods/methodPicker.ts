/**
 * Asks which unlearning method to run (never a setting taken silently), then whether to run it with its
 * defaults or to edit its parameters in a job file. The entries come from methodChoices.ts.
 */
import * as vscode from 'vscode';
import type { MethodDescription } from '../../engine/methods/registry';
import { methodPickEntries, preselectedMethod, recommend, type PickEntry, type RecipeInfo, type Recommendation } from './methodChoices';

export interface MethodChoice {
  method: MethodDescription;
  /** The user wants to see and change the parameters before running. */
  editParameters: boolean;
}

export interface MethodPickOptions {
  title: string;
  recipe: RecipeInfo;
  /** The model's metadata (whether it carries mnemonic codes). */
  metadata: Record<string, string>;
  /** `lethe.defaultMethod`: the method the picker starts on (empty: the recommended one). */
  preselect: string;
  /** The best method of the model's calibration file (`lethe calibrate`), recommended before the bench's choice. */
  calibrated?: Recommendation;
}

/**
 * The registry, loaded on first use: the method modules import onnxruntime-node (a native addon), which the
 * extension host should load only when someone is about to choose a method, not on activation.
 */
async function loadRegistry() {
  const [{ describeMethods }, { MNEMONIC_METADATA_KEY }] = await Promise.all([import('../../engine/methods/registry'), import('../../engine/methods/mnemonicCodes')]);
  return { methods: describeMethods(), mnemonicKey: MNEMONIC_METADATA_KEY };
}

type MethodItem = vscode.QuickPickItem & { method?: MethodDescription };

const toItem = (e: PickEntry): MethodItem =>
  e.kind === 'separator' ? { label: e.label, kind: vscode.QuickPickItemKind.Separator } : { label: e.label, description: e.description, detail: e.detail, method: e.method };

export async function pickMethod(o: MethodPickOptions): Promise<MethodChoice | undefined> {
  const { methods, mnemonicKey } = await loadRegistry();
  const entries = methodPickEntries(methods, { recipe: o.recipe, recommendation: recommend(methods, o.recipe, o.calibrated), hasMnemonicCodes: mnemonicKey in o.metadata });
  const method = await pickOne(entries.map(toItem), preselectedMethod(entries, o.preselect), o.title);
  if (!method) return undefined;
  const next = await vscode.window.showQuickPick(
    [
      { label: '$(play) Run with defaults', detail: `Run ${method.title} now with its default parameters.`, edit: false },
      {
        label: '$(edit) Edit parameters…',
        detail: 'Write a job file with every parameter, its default and what it means; run it with "Run unlearning" above the file.',
        edit: true,
      },
    ],
    { title: `${o.title}: ${method.title}`, placeHolder: 'Run now, or review the parameters first?' },
  );
  return next && { method, editParameters: next.edit };
}

/** A quick pick that starts on `active` (showQuickPick cannot pre-select an item in a single-select list). */
function pickOne(items: MethodItem[], active: string | undefined, title: string): Promise<MethodDescription | undefined> {
  const pick = vscode.window.createQuickPick<MethodItem>();
  pick.title = title;
  pick.placeholder = 'Unlearning method (type to filter by name or cost)';
  pick.matchOnDescription = true;
  pick.items = items;
  pick.activeItems = items.filter((i) => i.method && i.method.name === active);
  return new Promise((resolve) => {
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]?.method);
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}
