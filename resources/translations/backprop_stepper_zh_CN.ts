<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en_US">
    <context>
        <name>Accessibility</name>
        <message>
            <source>Computational graph</source>
            <extracomment>objectName → (accessible name or None to keep the widget's own, description or None)</extracomment>
            <translation>计算图</translation>
        </message>
        <message>
            <source>Playing speed</source>
            <translation>播放速度</translation>
        </message>
        <message>
            <source>How many steps a second Play (P) takes</source>
            <translation>播放（P）时每秒走多少步</translation>
        </message>
        <message>
            <source>Drag to a step; the graph shows what is known there</source>
            <translation>拖到某一步；图上显示那一步已知的内容</translation>
        </message>
        <message>
            <source>Training iterations</source>
            <translation>训练迭代</translation>
        </message>
        <message>
            <source>One row per iteration: the loss, each parameter and the .grad its update used, and PyTorch's check</source>
            <translation>每次迭代一行：损失、每个参数及其更新所用的 .grad，以及 PyTorch 的核对</translation>
        </message>
        <message>
            <source>Ours vs PyTorch vs finite differences</source>
            <translation>本程序 vs PyTorch vs 有限差分</translation>
        </message>
        <message>
            <source>Each value and gradient as we compute it, as PyTorch does, by finite differences, and ✓ when they agree</source>
            <translation>每个值和梯度：本程序算的、PyTorch 算的、有限差分估计的，一致时打 ✓</translation>
        </message>
        <message>
            <source>The inputs: name, role (data or parameter) and value; double-click a value or role to change it</source>
            <translation>输入：名称、角色（数据或参数）和值；双击值或角色即可修改</translation>
        </message>
        <message>
            <source>The forward pass step by step; click a row to go to its step</source>
            <translation>逐步的前向传播；点击一行即跳到那一步</translation>
        </message>
        <message>
            <source>The local gradients step by step; click a row to go to its step</source>
            <translation>逐步的局部梯度；点击一行即跳到那一步</translation>
        </message>
        <message>
            <source>The backward pass step by step; click a row to go to its step</source>
            <translation>逐步的反向传播；点击一行即跳到那一步</translation>
        </message>
        <message>
            <source>The parameters' updates; click a row to go to its step</source>
            <translation>参数的更新；点击一行即跳到那一步</translation>
        </message>
        <message>
            <source>Forward mode: the input to seed</source>
            <translation>前向模式：作为种子的输入</translation>
        </message>
        <message>
            <source>Forward mode carries ∂node/∂(this input) from the seed 1 to the output</source>
            <translation>前向模式把 ∂节点/∂(该输入) 从种子 1 一直传到输出</translation>
        </message>
        <message>
            <source>Forward mode's walk</source>
            <translation>前向模式的推进过程</translation>
        </message>
        <message>
            <source>PyTorch forward_ad code</source>
            <translation>PyTorch forward_ad 代码</translation>
        </message>
        <message>
            <source>What-if value</source>
            <translation>假如的取值</translation>
        </message>
        <message>
            <source>Moves the input picked above; every value and gradient follows</source>
            <translation>改变上面选中的输入；所有值和梯度随之变化</translation>
        </message>
        <message>
            <source>What-if values and gradients</source>
            <translation>假如下的值和梯度</translation>
        </message>
        <message>
            <source>Sample shown</source>
            <translation>显示的样本</translation>
        </message>
        <message>
            <source>Which sample of the batch the feature maps show</source>
            <translation>特征图显示的是这一批中的哪个样本</translation>
        </message>
        <message>
            <source>Your answer</source>
            <translation>你的答案</translation>
        </message>
        <message>
            <source>The gradient arriving at the node, as a number or a list of rows; Enter checks it</source>
            <translation>到达该节点的梯度，写成一个数或按行写的列表；按回车检查</translation>
        </message>
        <message>
            <source>Ninja score</source>
            <translation>忍者得分</translation>
        </message>
        <message>
            <source>One row per node answered: the tries, the result, and whether a hint was used</source>
            <translation>每个答过的节点一行：尝试次数、结果，以及是否用了提示</translation>
        </message>
        <message>
            <source>Dismiss the message</source>
            <translation>关闭这条消息</translation>
        </message>
        <message>
            <source>Previous iteration</source>
            <translation>上一次迭代</translation>
        </message>
        <message>
            <source>Next iteration</source>
            <translation>下一次迭代</translation>
        </message>
        <message>
            <source>Program</source>
            <extracomment>the panels, each named and described as a whole (what a screen reader says on entering one); a panel in a scroll area (``NAMEScroll``, gui.window.main_window.collapsible) gets the same words on the scroll area too</extracomment>
            <translation>程序</translation>
        </message>
        <message>
            <source>The program or script to step: type it and press Ctrl+Enter; the Variables table below holds its inputs</source>
            <translation>要单步执行的程序或脚本：输入后按 Ctrl+Enter；下面的变量表列出它的输入</translation>
        </message>
        <message>
            <source>Step controls</source>
            <translation>单步控制</translation>
        </message>
        <message>
            <source>First, back, forward and last step, the phases, Play and its speed, quiz and ninja mode, forward mode, and a slider over all steps</source>
            <translation>第一步、上一步、下一步和最后一步，各个阶段，播放及其速度，测验模式和忍者模式，前向模式，以及覆盖所有步骤的滑块</translation>
        </message>
        <message>
            <source>The current step in words: its formula with the numbers, and why the rule holds</source>
            <translation>用文字说明当前步骤：代入数字的公式，以及这条规则为什么成立</translation>
        </message>
        <message>
            <source>Lesson tables</source>
            <translation>课程表格</translation>
        </message>
        <message>
            <source>One table per phase, a row per step with its formula and value; a value not computed yet shows as ?</source>
            <translation>每个阶段一张表，每一步一行，列出公式和值；尚未计算的值显示为 ?</translation>
        </message>
        <message>
            <source>Training</source>
            <translation>训练</translation>
        </message>
        <message>
            <source>The learning rate, Next iteration, Train for N iterations, the loss plot and one row per iteration</source>
            <translation>学习率、下一次迭代、训练 N 次迭代、损失曲线，以及每次迭代一行</translation>
        </message>
        <message>
            <source>Quiz</source>
            <translation>测验</translation>
        </message>
        <message>
            <source>Type the number the current step computes; Check grades it and Show answer reveals it</source>
            <translation>输入当前步骤算出的数；“检查”给它评分，“显示答案”揭晓答案</translation>
        </message>
        <message>
            <source>Output</source>
            <translation>输出</translation>
        </message>
        <message>
            <source>What the script prints, up to the step on screen</source>
            <translation>脚本打印的内容，截至屏幕上的这一步</translation>
        </message>
        <message>
            <source>Plots</source>
            <translation>图表</translation>
        </message>
        <message>
            <source>The loss of every recorded pass, and the figures the script showed</source>
            <translation>每次记录的传播的损失，以及脚本显示的图</translation>
        </message>
        <message>
            <source>Why backwards</source>
            <translation>为什么要反向</translation>
        </message>
        <message>
            <source>Forward mode beside the backward pass: how many passes each needs, forward mode's walk, and a what-if slider</source>
            <translation>前向模式与反向传播对照：各自需要几次传播、前向模式的逐步过程，以及一个“假如”滑块</translation>
        </message>
        <message>
            <source>PyTorch</source>
            <translation>PyTorch</translation>
        </message>
        <message>
            <source>The same computation in PyTorch: its code, what it prints, and every number checked against ours</source>
            <translation>用 PyTorch 做同样的计算：它的代码、它打印的内容，以及每个数与我们的结果的核对</translation>
        </message>
        <message>
            <source>Message</source>
            <translation>消息</translation>
        </message>
        <message>
            <source>An error or a hint about the program, with a fix when there is one</source>
            <translation>关于程序的错误或提示，有修正办法时一并给出</translation>
        </message>
        <message>
            <source>Feature maps</source>
            <translation>特征图</translation>
        </message>
        <message>
            <source>Image tensors of the current step as grids of cells, one map per channel; click a gradient cell to spell out its sum</source>
            <translation>当前步骤的图像张量，画成单元格网格，每个通道一张图；点击一个梯度单元格可展开它的求和</translation>
        </message>
        <message>
            <source>Loss plot</source>
            <translation>损失曲线</translation>
        </message>
        <message>
            <source>The loss and the parameters at each iteration; the table beside it lists the same numbers</source>
            <translation>每次迭代的损失和参数；旁边的表格列出同样的数</translation>
        </message>
        <message>
            <source>Run runs the script with PyTorch and records it, Stop ends a run; the iteration box chooses the iteration on screen</source>
            <translation>“运行”用 PyTorch 运行脚本并记录下来，“停止”结束运行；迭代框选择屏幕上显示的迭代</translation>
        </message>
        <message>
            <source>Ninja mode</source>
            <translation>忍者模式</translation>
        </message>
        <message>
            <source>Type the gradient arriving at the node on screen; the names line says what each symbol stands for</source>
            <translation>输入到达屏幕上这个节点的梯度；名称行说明每个符号代表什么</translation>
        </message>
        <message>
            <source>Loss of every pass</source>
            <translation>每次传播的损失</translation>
        </message>
        <message>
            <source>The loss of each recorded pass, the pass on screen marked; click to go to a pass</source>
            <translation>每次记录的传播的损失，屏幕上的那次已标出；点击可转到某次传播</translation>
        </message>
    </context>
    <context>
        <name>BackpropStepper</name>
        <message>
            <source>start</source>
            <translation>开始</translation>
        </message>
        <message>
            <source>Forward pass</source>
            <translation>前向传播</translation>
        </message>
        <message>
            <source>Local gradients</source>
            <translation>局部梯度</translation>
        </message>
        <message>
            <source>Backward pass</source>
            <translation>反向传播</translation>
        </message>
        <message>
            <source>Update</source>
            <translation>参数更新</translation>
        </message>
        <message>
            <source>data</source>
            <translation>数据</translation>
        </message>
        <message>
            <source>parameter</source>
            <translation>参数</translation>
        </message>
        <message>
            <source>local {0}</source>
            <translation>局部 {0}</translation>
        </message>
        <message>
            <source>local</source>
            <translation>局部</translation>
        </message>
        <message>
            <source>{0} values</source>
            <translation>{0} 个值</translation>
        </message>
        <message>
            <source>… ({0} more terms)</source>
            <translation>…（另有 {0} 项）</translation>
        </message>
    </context>
    <context>
        <name>EditorPanel</name>
        <message>
            <source>Program</source>
            <translation>程序</translation>
        </message>
        <message>
            <source>Apply</source>
            <translation>应用</translation>
        </message>
        <message>
            <source>Re-run the program ({0})</source>
            <translation>重新运行程序（{0}）</translation>
        </message>
        <message>
            <source>name</source>
            <translation>名称</translation>
        </message>
        <message>
            <source>role</source>
            <translation>角色</translation>
        </message>
        <message>
            <source>value</source>
            <translation>值</translation>
        </message>
        <message>
            <source>Variables</source>
            <translation>变量</translation>
        </message>
        <message>
            <source>What if…</source>
            <translation>假如……</translation>
        </message>
        <message>
            <source>Add</source>
            <translation>添加</translation>
        </message>
        <message>
            <source>Add a variable: type its name, then its role and value</source>
            <translation>添加一个变量：先输入名称，再选择角色并填写值</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>Remove the selected variable</source>
            <translation>删除选中的变量</translation>
        </message>
        <message>
            <source>Ctrl+Enter applies</source>
            <translation>Ctrl+Enter 应用</translation>
        </message>
        <message>
            <source>Variables (double-click a value or role to change it)</source>
            <translation>变量（双击值或角色即可修改）</translation>
        </message>
        <message>
            <source>{0}   # a parameter: it gets a gradient
{1}   # data
{2}   # data, a vector
loss = mean((w * x - 2) ** 2)</source>
            <translation>{0}   # 参数：会得到梯度
{1}   # 数据
{2}   # 数据，一个向量
loss = mean((w * x - 2) ** 2)</translation>
        </message>
        <message>
            <source>&lt;h3&gt;Writing a program&lt;/h3&gt;&lt;p&gt;One statement per line, in Python syntax. Give every input a value:&lt;/p&gt;&lt;pre&gt;{0}      # a parameter: it gets a gradient and is trained
{1}             # data: no gradient
{2}       # data, a vector&lt;/pre&gt;&lt;p&gt;or add it in the &lt;b&gt;Variables&lt;/b&gt; table (Add), choosing data or parameter. Then compute, for example &lt;code&gt;loss = mean((w * x - 2) ** 2)&lt;/code&gt;, and press Ctrl+Enter.&lt;/p&gt;&lt;p&gt;Names the program uses but does not know are reported all at once, with a button that adds them to the table.&lt;/p&gt;</source>
            <translation>&lt;h3&gt;编写程序&lt;/h3&gt;&lt;p&gt;每行一条语句，使用 Python 语法。给每个输入一个值：&lt;/p&gt;&lt;pre&gt;{0}      # 参数：会得到梯度并被训练
{1}             # 数据：没有梯度
{2}       # 数据，一个向量&lt;/pre&gt;&lt;p&gt;或者在&lt;b&gt;变量&lt;/b&gt;表中添加（添加），选择数据或参数。然后进行计算，例如 &lt;code&gt;loss = mean((w * x - 2) ** 2)&lt;/code&gt;，再按 Ctrl+Enter。&lt;/p&gt;&lt;p&gt;程序用到但未定义的名称会一次全部报告出来，并附有一个把它们添加到变量表的按钮。&lt;/p&gt;</translation>
        </message>
        <message>
            <source>Not used by the program yet: use {0} in it and press Ctrl+Enter</source>
            <translation>程序尚未使用它：在程序中使用 {0} 后按 Ctrl+Enter</translation>
        </message>
        <message>
            <source>A parameter needs a gradient; data does not.</source>
            <translation>参数需要梯度，数据不需要。</translation>
        </message>
        <message>
            <source>A number, or a list such as 1, 2, 3</source>
            <translation>一个数，或一个列表，如 1, 2, 3</translation>
        </message>
        <message>
            <source>A matrix, row by row: [[1, 2], [3, 4]]</source>
            <translation>矩阵，逐行书写：[[1, 2], [3, 4]]</translation>
        </message>
        <message>
            <source>Edit as a grid…</source>
            <translation>以网格编辑…</translation>
        </message>
        <message>
            <source>Did you mean {0}? Fix it</source>
            <translation>你是想写 {0} 吗？改正它</translation>
        </message>
        <message>
            <source>Add {0} to the Variables table</source>
            <translation>把 {0} 添加到变量表</translation>
        </message>
    </context>
    <context>
        <name>Examples</name>
        <message>
            <source>The lesson: linear regression, one sample</source>
            <extracomment>a sentence that ends in full-width punctuation needs no space before the next one the bundled examples' titles (resources/examples/*.json), listed here so that lupdate finds them; the menu shows example_title(session.title)</extracomment>
            <translation>课程示例：线性回归，单个样本</translation>
        </message>
        <message>
            <source>One node: c = x · y</source>
            <translation>单个节点：c = x · y</translation>
        </message>
        <message>
            <source>Chain rule: c = b(a(x))</source>
            <translation>链式法则：c = b(a(x))</translation>
        </message>
        <message>
            <source>CS231n: f = (x + y) · z</source>
            <translation>CS231n：f = (x + y) · z</translation>
        </message>
        <message>
            <source>CS231n: a sigmoid neuron</source>
            <translation>CS231n：一个 sigmoid 神经元</translation>
        </message>
        <message>
            <source>Reuse: e = (a + b) · (b + 1)</source>
            <translation>重复使用：e = (a + b) · (b + 1)</translation>
        </message>
        <message>
            <source>Mean squared error over four samples</source>
            <translation>四个样本的均方误差</translation>
        </message>
        <message>
            <source>A tanh neuron (micrograd)</source>
            <translation>一个 tanh 神经元（micrograd）</translation>
        </message>
        <message>
            <source>A one-layer network: h = relu(X @ W + b)</source>
            <translation>单层网络：h = relu(X @ W + b)</translation>
        </message>
        <message>
            <source>A convolution: 5×5 image, 3×3 kernel, ReLU, 2×2 max-pool</source>
            <translation>卷积：5×5 图像、3×3 卷积核、ReLU、2×2 最大池化</translation>
        </message>
        <message>
            <source>Linear regression by hand</source>
            <translation>手算线性回归</translation>
        </message>
        <message>
            <source>Linear regression with autograd</source>
            <translation>用 autograd 做线性回归</translation>
        </message>
        <message>
            <source>Linear regression with nn.Linear, a loss and an optimizer</source>
            <translation>用 nn.Linear、损失对象和优化器做线性回归</translation>
        </message>
        <message>
            <source>Mistake: a forgotten zero_grad()</source>
            <translation>错误：忘了 zero_grad()</translation>
        </message>
        <message>
            <source>Mistake: an update outside no_grad()</source>
            <translation>错误：在 no_grad() 之外更新</translation>
        </message>
        <message>
            <source>Logistic regression</source>
            <translation>逻辑回归</translation>
        </message>
        <message>
            <source>A small feed-forward net (Adam)</source>
            <translation>小型前馈网络（Adam）</translation>
        </message>
        <message>
            <source>Logistic regression with nn.Sigmoid and SGD momentum</source>
            <translation>用 nn.Sigmoid 和带动量的 SGD 做逻辑回归</translation>
        </message>
        <message>
            <source>An nn.Module class</source>
            <translation>一个 nn.Module 类</translation>
        </message>
        <message>
            <source>Softmax and cross-entropy</source>
            <translation>Softmax 与交叉熵</translation>
        </message>
        <message>
            <source>Activation functions</source>
            <translation>激活函数</translation>
        </message>
        <message>
            <source>Breast-cancer data: logistic regression</source>
            <translation>乳腺癌数据：逻辑回归</translation>
        </message>
        <message>
            <source>Digits: a feed-forward net</source>
            <translation>手写数字：前馈网络</translation>
        </message>
        <message>
            <source>Digits: a small CNN</source>
            <translation>手写数字：一个小型 CNN</translation>
        </message>
    </context>
    <context>
        <name>Explanation</name>
        <message>
            <source>not a number (nan): an input is outside the function's domain</source>
            <translation>不是数（nan）：有输入超出了函数的定义域</translation>
        </message>
        <message>
            <source>infinite: the result overflowed or divided by zero</source>
            <translation>无穷大：结果溢出，或除以了零</translation>
        </message>
        <message>
            <source>Forward pass: compute {target} from values that are already known.</source>
            <extracomment>core.engine.explain.TEMPLATES['forward']; keep the {names}</extracomment>
            <translation>前向传播：用已知的值计算 {target}。</translation>
        </message>
        <message>
            <source>Forward pass: this is the output. Its value, {value}, is what the backward pass differentiates.</source>
            <extracomment>core.engine.explain.TEMPLATES['forward.output']; keep the {names}</extracomment>
            <translation>前向传播：这是输出。反向传播要求导的就是它的值 {value}。</translation>
        </message>
        <message>
            <source>Careful: the result is {value} — {warning}.</source>
            <extracomment>core.engine.explain.TEMPLATES['forward.nonfinite']; keep the {names}</extracomment>
            <translation>注意：结果是 {value}——{warning}。</translation>
        </message>
        <message>
            <source>PyTorch keeps how {target} was made: its grad_fn is {grad_fn}, which the backward pass calls to send the gradient on to its inputs.</source>
            <extracomment>core.engine.explain.TEMPLATES['forward.grad_fn']; keep the {names}</extracomment>
            <translation>PyTorch 会记下 {target} 是怎样算出来的：它的 grad_fn 是 {grad_fn}，反向传播时调用它，把梯度传给它的各个输入。</translation>
        </message>
        <message>
            <source>Local gradient: how much {target} changes when {source} changes, with every other input held fixed.</source>
            <extracomment>core.engine.explain.TEMPLATES['local']; keep the {names}</extracomment>
            <translation>局部梯度：其他输入都保持不变时，{source} 变化会让 {target} 变化多少。</translation>
        </message>
        <message>
            <source>{source} is data: {edge} is not needed — nothing updates {source}.</source>
            <extracomment>core.engine.explain.TEMPLATES['unneeded.data']; keep the {names}</extracomment>
            <translation>{source} 是数据：不需要 {edge}——没有什么会更新 {source}。</translation>
        </message>
        <message>
            <source>{source} is a constant: {edge} is not needed — nothing updates {source}.</source>
            <extracomment>core.engine.explain.TEMPLATES['unneeded.constant']; keep the {names}</extracomment>
            <translation>{source} 是常量：不需要 {edge}——没有什么会更新 {source}。</translation>
        </message>
        <message>
            <source>{source} depends on no parameter: {edge} is not needed — nothing it comes from is updated.</source>
            <extracomment>core.engine.explain.TEMPLATES['unneeded.computed']; keep the {names}</extracomment>
            <translation>{source} 不依赖任何参数：不需要 {edge}——它的来源都不会被更新。</translation>
        </message>
        <message>
            <source>Local rule: {target} mixes many entries of {source}, so there is no single number here. G stands for ∂{output}/∂{target_b}: the gradient that will arrive at {target} from the steps after it. The rule turns G into the gradient of {source}, and shows the shapes it maps between.</source>
            <extracomment>core.engine.explain.TEMPLATES['local.vjp']; keep the {names}</extracomment>
            <translation>局部规则：{target} 混合了 {source} 的许多元素，所以这里没有单个数字。G 表示 ∂{output}/∂{target_b}：之后的步骤将传到 {target} 的梯度。规则把 G 变成 {source} 的梯度，并标出它在哪些形状之间映射。</translation>
        </message>
        <message>
            <source>A sum changes one-for-one with each of its terms.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.add']; keep the {names}</extracomment>
            <translation>和随每一项一比一地变化。</translation>
        </message>
        <message>
            <source>A difference changes one-for-one with the first term and against the second.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.sub']; keep the {names}</extracomment>
            <translation>差随第一项一比一地同向变化，随第二项一比一地反向变化。</translation>
        </message>
        <message>
            <source>The derivative of a product with respect to one factor is the other factor.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.mul']; keep the {names}</extracomment>
            <translation>乘积对其中一个因子的导数就是另一个因子。</translation>
        </message>
        <message>
            <source>Quotient rule: 1/b for the numerator, −a/b² for the denominator.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.div']; keep the {names}</extracomment>
            <translation>商的求导法则：对分子的导数是 1/b，对分母的导数是 −a/b²。</translation>
        </message>
        <message>
            <source>Negation flips the sign of every change.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.neg']; keep the {names}</extracomment>
            <translation>取负会把每个变化的符号反过来。</translation>
        </message>
        <message>
            <source>Power rule: the derivative of xᵏ is k · xᵏ⁻¹.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.powc']; keep the {names}</extracomment>
            <translation>幂法则：xᵏ 的导数是 k · xᵏ⁻¹。</translation>
        </message>
        <message>
            <source>Power rule for the base; for the exponent, aᵇ · log(a).</source>
            <extracomment>core.engine.explain.TEMPLATES['why.pow']; keep the {names}</extracomment>
            <translation>对底数用幂法则；对指数，导数是 aᵇ · log(a)。</translation>
        </message>
        <message>
            <source>exp is its own derivative.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.exp']; keep the {names}</extracomment>
            <translation>exp 的导数就是它自己。</translation>
        </message>
        <message>
            <source>The derivative of log(x) is 1/x.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.log']; keep the {names}</extracomment>
            <translation>log(x) 的导数是 1/x。</translation>
        </message>
        <message>
            <source>The derivative of √x is 1/(2√x); at 0 it is infinite.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.sqrt']; keep the {names}</extracomment>
            <translation>√x 的导数是 1/(2√x)；在 0 处为无穷大。</translation>
        </message>
        <message>
            <source>The derivative of sin is cos.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.sin']; keep the {names}</extracomment>
            <translation>sin 的导数是 cos。</translation>
        </message>
        <message>
            <source>The derivative of cos is −sin.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.cos']; keep the {names}</extracomment>
            <translation>cos 的导数是 −sin。</translation>
        </message>
        <message>
            <source>The derivative of tanh is 1 − tanh², computed from the output.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.tanh']; keep the {names}</extracomment>
            <translation>tanh 的导数是 1 − tanh²，由输出算出。</translation>
        </message>
        <message>
            <source>The derivative of σ is σ · (1 − σ), computed from the output.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.sigmoid']; keep the {names}</extracomment>
            <translation>σ 的导数是 σ · (1 − σ)，由输出算出。</translation>
        </message>
        <message>
            <source>relu passes the change through where its input is positive and blocks it elsewhere (at exactly 0 it blocks, as PyTorch does).</source>
            <extracomment>core.engine.explain.TEMPLATES['why.relu']; keep the {names}</extracomment>
            <translation>relu 在输入为正时让变化通过，其余情况阻断（输入恰好为 0 时也阻断，与 PyTorch 相同）。</translation>
        </message>
        <message>
            <source>|x| changes with the sign of x (0 at x = 0, as PyTorch does).</source>
            <extracomment>core.engine.explain.TEMPLATES['why.abs']; keep the {names}</extracomment>
            <translation>|x| 随 x 的符号变化（x = 0 时为 0，与 PyTorch 相同）。</translation>
        </message>
        <message>
            <source>Only the larger input moves the result; a tie splits the gradient in half, as PyTorch does.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.maximum']; keep the {names}</extracomment>
            <translation>只有较大的输入会影响结果；两者相等时梯度各分一半，与 PyTorch 相同。</translation>
        </message>
        <message>
            <source>Only the smaller input moves the result; a tie splits the gradient in half, as PyTorch does.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.minimum']; keep the {names}</extracomment>
            <translation>只有较小的输入会影响结果；两者相等时梯度各分一半，与 PyTorch 相同。</translation>
        </message>
        <message>
            <source>Every entry adds to the sum one-for-one.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.sum']; keep the {names}</extracomment>
            <translation>每个元素都一比一地计入总和。</translation>
        </message>
        <message>
            <source>Every entry moves the mean by 1/n of its change.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.mean']; keep the {names}</extracomment>
            <translation>每个元素的变化会让均值变化其 1/n。</translation>
        </message>
        <message>
            <source>Only the largest entry moves the result (ties share it evenly).</source>
            <extracomment>core.engine.explain.TEMPLATES['why.max']; keep the {names}</extracomment>
            <translation>只有最大的元素会影响结果（并列时平分）。</translation>
        </message>
        <message>
            <source>Only the smallest entry moves the result (ties share it evenly).</source>
            <extracomment>core.engine.explain.TEMPLATES['why.min']; keep the {names}</extracomment>
            <translation>只有最小的元素会影响结果（并列时平分）。</translation>
        </message>
        <message>
            <source>sum rule: 1 for each term</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.add']; keep the {names}</extracomment>
            <translation>加法法则：每一项为 1</translation>
        </message>
        <message>
            <source>difference rule: 1 for the first term, −1 for the second</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.sub']; keep the {names}</extracomment>
            <translation>减法法则：第一项为 1，第二项为 −1</translation>
        </message>
        <message>
            <source>product rule: the other factor</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.mul']; keep the {names}</extracomment>
            <translation>乘法法则：另一个因子</translation>
        </message>
        <message>
            <source>quotient rule: 1/b for the numerator, −a/b² for the denominator</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.div']; keep the {names}</extracomment>
            <translation>除法法则：分子为 1/b，分母为 −a/b²</translation>
        </message>
        <message>
            <source>negation: −1</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.neg']; keep the {names}</extracomment>
            <translation>取负：−1</translation>
        </message>
        <message>
            <source>power rule: k · xᵏ⁻¹</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.powc']; keep the {names}</extracomment>
            <translation>幂法则：k · xᵏ⁻¹</translation>
        </message>
        <message>
            <source>power rule: b · aᵇ⁻¹ for the base, aᵇ · log(a) for the exponent</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.pow']; keep the {names}</extracomment>
            <translation>幂法则：底数为 b · aᵇ⁻¹，指数为 aᵇ · log(a)</translation>
        </message>
        <message>
            <source>exp is its own derivative</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.exp']; keep the {names}</extracomment>
            <translation>exp 的导数就是它自己</translation>
        </message>
        <message>
            <source>log rule: 1/x</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.log']; keep the {names}</extracomment>
            <translation>对数法则：1/x</translation>
        </message>
        <message>
            <source>root rule: 1/(2√x)</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.sqrt']; keep the {names}</extracomment>
            <translation>平方根法则：1/(2√x)</translation>
        </message>
        <message>
            <source>sin′ = cos</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.sin']; keep the {names}</extracomment>
            <translation>sin 的导数是 cos</translation>
        </message>
        <message>
            <source>cos′ = −sin</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.cos']; keep the {names}</extracomment>
            <translation>cos 的导数是 −sin</translation>
        </message>
        <message>
            <source>tanh′ = 1 − tanh²</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.tanh']; keep the {names}</extracomment>
            <translation>tanh 的导数是 1 − tanh²</translation>
        </message>
        <message>
            <source>σ′ = σ · (1 − σ)</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.sigmoid']; keep the {names}</extracomment>
            <translation>σ 的导数是 σ · (1 − σ)</translation>
        </message>
        <message>
            <source>relu′ = 1 where the input is positive, else 0</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.relu']; keep the {names}</extracomment>
            <translation>relu′：输入为正处为 1，其余为 0</translation>
        </message>
        <message>
            <source>|x|′ = the sign of x</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.abs']; keep the {names}</extracomment>
            <translation>|x|′ = x 的符号</translation>
        </message>
        <message>
            <source>1 for the larger input, 0 for the other (½ each on a tie)</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.maximum']; keep the {names}</extracomment>
            <translation>较大的输入为 1，另一个为 0（相等时各 ½）</translation>
        </message>
        <message>
            <source>1 for the smaller input, 0 for the other (½ each on a tie)</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.minimum']; keep the {names}</extracomment>
            <translation>较小的输入为 1，另一个为 0（相等时各 ½）</translation>
        </message>
        <message>
            <source>1 for every entry</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.sum']; keep the {names}</extracomment>
            <translation>每个元素为 1</translation>
        </message>
        <message>
            <source>1/n for every entry</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.mean']; keep the {names}</extracomment>
            <translation>每个元素为 1/n</translation>
        </message>
        <message>
            <source>1 for the largest entry, 0 elsewhere</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.max']; keep the {names}</extracomment>
            <translation>最大的元素为 1，其余为 0</translation>
        </message>
        <message>
            <source>1 for the smallest entry, 0 elsewhere</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.min']; keep the {names}</extracomment>
            <translation>最小的元素为 1，其余为 0</translation>
        </message>
        <message>
            <source>apply the operation to the values already known</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.forward']; keep the {names}</extracomment>
            <translation>对已知的值做这个运算</translation>
        </message>
        <message>
            <source>chain rule: the gradient from above times the local gradient</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.chain']; keep the {names}</extracomment>
            <translation>链式法则：上游传来的梯度乘以局部梯度</translation>
        </message>
        <message>
            <source>chain rule, once per use: add the {count} products</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.chain.fork']; keep the {names}</extracomment>
            <translation>链式法则，每次使用一项：把 {count} 个乘积相加</translation>
        </message>
        <message>
            <source>gradient descent: the value minus lr times the gradient</source>
            <extracomment>core.engine.explain.TEMPLATES['rule.update']; keep the {names}</extracomment>
            <translation>梯度下降：当前值减去 lr 乘以梯度</translation>
        </message>
        <message>
            <source>The backward pass starts at the output with ∂{output}/∂{output} = 1.</source>
            <extracomment>core.engine.explain.TEMPLATES['backward.seed']; keep the {names}</extracomment>
            <translation>反向传播从输出开始：∂{output}/∂{output} = 1。</translation>
        </message>
        <message>
            <source>Chain rule: multiply the gradient arriving from {consumer} by this edge's local gradient.</source>
            <extracomment>core.engine.explain.TEMPLATES['backward']; keep the {names}</extracomment>
            <translation>链式法则：把从 {consumer} 传回的梯度乘以这条边的局部梯度。</translation>
        </message>
        <message>
            <source>Chain rule through {consumer}: its gradient G = ∂{output}/∂{consumer_b} is known now; {consumer}'s local rule turns G into ∂{output}/∂{target_b}, which has the same shape as {target}.</source>
            <extracomment>core.engine.explain.TEMPLATES['backward.vjp']; keep the {names}</extracomment>
            <translation>通过 {consumer} 的链式法则：它的梯度 G = ∂{output}/∂{consumer_b} 现在已知；{consumer} 的局部规则把 G 变成 ∂{output}/∂{target_b}，其形状与 {target} 相同。</translation>
        </message>
        <message>
            <source>{target} is used {count} times, so its gradient is the sum of {count} contributions: gradients add up where a value is used twice.</source>
            <extracomment>core.engine.explain.TEMPLATES['backward.fork']; keep the {names}</extracomment>
            <translation>{target} 被使用了 {count} 次，所以它的梯度是 {count} 份贡献之和：一个值被多次使用时，梯度要相加。</translation>
        </message>
        <message>
            <source>⊙ then Σ: {target} was broadcast to a vector, so the element-wise products are summed back to its shape.</source>
            <extracomment>core.engine.explain.TEMPLATES['backward.broadcast']; keep the {names}</extracomment>
            <translation>先 ⊙ 再 Σ：{target} 被广播成了向量，所以要把逐元素乘积求和，变回它原来的形状。</translation>
        </message>
        <message>
            <source>{target} is a parameter: this is the gradient an optimiser uses to update it.</source>
            <extracomment>core.engine.explain.TEMPLATES['backward.parameter']; keep the {names}</extracomment>
            <translation>{target} 是参数：优化器就是用这个梯度来更新它。</translation>
        </message>
        <message>
            <source>Gradient descent: move {target} against its gradient, by the learning rate {lr} times the gradient. The next iteration starts from this value.</source>
            <extracomment>core.engine.explain.TEMPLATES['update']; keep the {names}</extracomment>
            <translation>梯度下降：让 {target} 沿梯度的反方向移动，步长为学习率 {lr} 乘以梯度。下一次迭代从这个值开始。</translation>
        </message>
        <message>
            <source>zero_grad() was forgotten, so {target}.grad still holds the earlier passes' gradients: the update uses {now} + {left} = {total}.</source>
            <extracomment>core.engine.explain.TEMPLATES['update.accumulated']; keep the {names}</extracomment>
            <translation>忘了调用 zero_grad()，所以 {target}.grad 里还留着之前各轮的梯度：更新用的是 {now} + {left} = {total}。</translation>
        </message>
        <message>
            <source>optimizer.step() with torch.optim.SGD: move {target} against its .grad ({grad}) by the learning rate {lr}. The next iteration starts from the new value.</source>
            <extracomment>core.engine.explain.TEMPLATES['update.sgd']; keep the {names}</extracomment>
            <translation>torch.optim.SGD 的 optimizer.step()：让 {target} 沿其 .grad（{grad}）的反方向移动，步长为学习率 {lr} 乘以梯度。下一次迭代从新值开始。</translation>
        </message>
        <message>
            <source>optimizer.step() with SGD and momentum {momentum}: the buffer b keeps a running sum of the gradients (b ← μ · b + .grad), and {target} moves against b by the learning rate {lr}.</source>
            <extracomment>core.engine.explain.TEMPLATES['update.momentum']; keep the {names}</extracomment>
            <translation>带动量 {momentum} 的 SGD 的 optimizer.step()：缓冲区 b 累积梯度（b ← μ · b + .grad），{target} 沿 b 的反方向移动，学习率为 {lr}。</translation>
        </message>
        <message>
            <source>optimizer.step() with torch.optim.Adam, step {step}: m and v are running averages of the gradient and of its square; m_hat and v_hat correct their start at zero, and {target} moves by lr · m_hat / (√v_hat + ε) with lr = {lr}.</source>
            <extracomment>core.engine.explain.TEMPLATES['update.adam']; keep the {names}</extracomment>
            <translation>torch.optim.Adam 的 optimizer.step()，第 {step} 步：m 和 v 是梯度及其平方的滑动平均；m_hat 和 v_hat 修正它们从零开始的偏差，{target} 移动 lr · m_hat / (√v_hat + ε)，其中 lr = {lr}。</translation>
        </message>
        <message>
            <source>The script's own update, under torch.no_grad(): {target} changes in place, using its .grad ({grad}).</source>
            <extracomment>core.engine.explain.TEMPLATES['update.manual']; keep the {names}</extracomment>
            <translation>脚本自己的更新，在 torch.no_grad() 之下：{target} 原地改变，用的是它的 .grad（{grad}）。</translation>
        </message>
        <message>
            <source>.grad was not zeroed, so it still holds the earlier passes' gradients ({left}): the update uses {total}.</source>
            <extracomment>core.engine.explain.TEMPLATES['update.grad_accumulated']; keep the {names}</extracomment>
            <translation>.grad 没有清零，所以它仍保留之前各次传递的梯度（{left}）：更新用的是 {total}。</translation>
        </message>
        <message>
            <source>No parameter reaches {output}, so there are no local gradients to compute. Make a value a parameter (param(…)) to see this phase.</source>
            <extracomment>core.engine.explain.TEMPLATES['none.local']; keep the {names}</extracomment>
            <translation>没有参数通向 {output}，所以没有局部梯度要计算。把某个值设为参数（param(…)）即可看到这一阶段。</translation>
        </message>
        <message>
            <source>No parameter reaches {output}, so there is no gradient to propagate back. Make a value a parameter (param(…)) to see this phase.</source>
            <extracomment>core.engine.explain.TEMPLATES['none.backward']; keep the {names}</extracomment>
            <translation>没有参数通向 {output}，所以没有梯度需要反向传播。把某个值设为参数（param(…)）即可看到这一阶段。</translation>
        </message>
        <message>
            <source>For x &gt; 0 the output is x (slope 1); for x ≤ 0 it is slope · x, so the gradient is the slope there: it never stops completely, unlike relu's.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.leaky_relu']; keep the {names}</extracomment>
            <translation>x &gt; 0 时输出为 x（斜率 1）；x ≤ 0 时为 slope · x，所以那里的梯度是 slope：它不会像 relu 那样完全停住。</translation>
        </message>
        <message>
            <source>For x &gt; 0 the output is x (slope 1); below, alpha · (exp(x) − 1) has slope alpha · exp(x), which fades as x goes down.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.elu']; keep the {names}</extracomment>
            <translation>x &gt; 0 时输出为 x（斜率 1）；在此之下，alpha · (exp(x) − 1) 的斜率是 alpha · exp(x)，x 越小它越弱。</translation>
        </message>
        <message>
            <source>The slope of log(1 + exp(βx)) / β is exp(βx) / (1 + exp(βx)) = σ(βx); above the threshold torch returns x itself, slope 1.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.softplus']; keep the {names}</extracomment>
            <translation>log(1 + exp(βx)) / β 的斜率是 exp(βx) / (1 + exp(βx)) = σ(βx)；超过阈值时 torch 直接返回 x，斜率为 1。</translation>
        </message>
        <message>
            <source>Product rule on x · Φ(x): Φ(x) from the x, plus x times Φ's slope, the normal density φ(x).</source>
            <extracomment>core.engine.explain.TEMPLATES['why.gelu']; keep the {names}</extracomment>
            <translation>对 x · Φ(x) 用乘积法则：来自 x 的 Φ(x)，加上 x 乘以 Φ 的斜率，即正态密度 φ(x)。</translation>
        </message>
        <message>
            <source>Each entry is multiplied by its mask entry over (1 − p): 0 for a dropped entry, 1/(1 − p) for a kept one, so the gradient is masked and scaled the same way. In eval mode (training=False) nothing is dropped and the gradient passes as is.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.dropout']; keep the {names}</extracomment>
            <translation>每个元素乘以它的掩码值除以 (1 − p)：被丢弃的为 0，保留的为 1/(1 − p)，所以梯度也以同样方式被遮盖和缩放。在评估模式（training=False）下不丢弃任何元素，梯度原样通过。</translation>
        </message>
        <message>
            <source>Each output cell is a sum of products, Σ W[o, c, i, j] · X[b, c, y·s + i − p, x·s + j − p]: moving one kernel entry moves every output cell by the input entry under it, so its gradient correlates the input with G; moving one input entry moves the outputs whose windows cover it, each by the kernel entry there, which is G correlated with the flipped kernel.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.conv2d']; keep the {names}</extracomment>
            <translation>每个输出格是乘积之和 Σ W[o, c, i, j] · X[b, c, y·s + i − p, x·s + j − p]：改动一个卷积核元素，会让每个输出格按其下方的输入元素变化，所以它的梯度是输入与 G 的互相关；改动一个输入元素，会让窗口覆盖它的那些输出按该处的卷积核元素变化，这就是 G 与翻转卷积核的互相关。</translation>
        </message>
        <message>
            <source>Quotient rule: −c/w² for the denominator; torch computes c / w as reciprocal(w) · c, and so does this step.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.rdiv']; keep the {names}</extracomment>
            <translation>商法则：对分母是 −c/w²；torch 把 c / w 计算为 reciprocal(w) · c，这一步也如此。</translation>
        </message>
        <message>
            <source>Each entry of a matrix product is a sum of products, Σ_k A[i, k] · B[k, j]: moving B[k, j] moves column j by A[:, k], so the gradient of B collects Aᵀ · G.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.matmul']; keep the {names}</extracomment>
            <translation>矩阵乘积的每个元素都是乘积之和 Σ_k A[i, k] · B[k, j]：改变 B[k, j] 会让第 j 列按 A[:, k] 变化，所以 B 的梯度汇集为 Aᵀ · G。</translation>
        </message>
        <message>
            <source>Transposing only moves entries, so the gradient moves back the same way: Gᵀ.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.transpose']; keep the {names}</extracomment>
            <translation>转置只是移动元素，所以梯度按同样的方式移回：Gᵀ。</translation>
        </message>
        <message>
            <source>Reshaping keeps every entry and only changes how they are arranged, so each entry's gradient goes back to where it came from.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.reshape']; keep the {names}</extracomment>
            <translation>变形保留每个元素，只改变排列方式，所以每个元素的梯度回到它原来的位置。</translation>
        </message>
        <message>
            <source>Each output shares one normaliser, so every input moves every output along the axis: the Jacobian is diag(y) − y yᵀ, applied to G as y ⊙ (G − Σ G ⊙ y).</source>
            <extracomment>core.engine.explain.TEMPLATES['why.softmax']; keep the {names}</extracomment>
            <translation>所有输出共享同一个归一化因子，所以沿该轴每个输入都会影响每个输出：雅可比矩阵是 diag(y) − y yᵀ，作用在 G 上即 y ⊙ (G − Σ G ⊙ y)。</translation>
        </message>
        <message>
            <source>log_softmax(x) = x − log Σ exp(x): the gradient passes through, less softmax times the sum of the gradient along the axis.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.log_softmax']; keep the {names}</extracomment>
            <translation>log_softmax(x) = x − log Σ exp(x)：梯度直接通过，再减去 softmax 乘以沿该轴的梯度之和。</translation>
        </message>
        <message>
            <source>The mean of (a − y)²: each entry's square changes by 2 · (a − y), shared among the N entries of the mean.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.mse_loss']; keep the {names}</extracomment>
            <translation>(a − y)² 的平均值：每个元素的平方按 2 · (a − y) 变化，并由平均中的 N 个元素分摊。</translation>
        </message>
        <message>
            <source>−(y log p + (1 − y) log(1 − p)) changes with p by (p − y) / (p (1 − p)), shared among the N entries of the mean.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.binary_cross_entropy']; keep the {names}</extracomment>
            <translation>−(y log p + (1 − y) log(1 − p)) 随 p 按 (p − y) / (p (1 − p)) 变化，并由平均中的 N 个元素分摊。</translation>
        </message>
        <message>
            <source>log_softmax, pick the target's entry, mean: fused, the gradient of the scores is (softmax − onehot) / N — each row pushes its right class up, the rest down.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.cross_entropy']; keep the {names}</extracomment>
            <translation>log_softmax、取出目标类别的元素、求平均：合在一起，分数的梯度是 (softmax − onehot) / N——每一行把正确类别往上推，其余往下推。</translation>
        </message>
        <message>
            <source>Pick the target's log-probability in each row and take the negative mean: only the picked entries move it, each by −1/N. After log_softmax this is cross-entropy, stepped as its primitives.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.nll_loss']; keep the {names}</extracomment>
            <translation>取出每一行目标类别的对数概率，再取负的平均值：只有被取出的元素会影响它，每个影响 −1/N。接在 log_softmax 之后，这就是按基本运算逐步展开的交叉熵。</translation>
        </message>
        <message>
            <source>Only the largest cell of a window reaches the output, so only it moves the output: it gets the whole gradient and the others get 0. At a tie torch picks the first largest cell (reading the window row by row), where max() shares.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.max_pool2d']; keep the {names}</extracomment>
            <translation>窗口中只有最大的格到达输出，所以只有它能改变输出：它得到全部梯度，其余得到 0。出现并列时 torch 选第一个最大格（按行读窗口），而 max() 会平分。</translation>
        </message>
        <message>
            <source>Each window's average moves by 1/(kh·kw) when one of its cells moves, so each cell gets that share of the gradient of every window it is in.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.avg_pool2d']; keep the {names}</extracomment>
            <translation>窗口中一个格变化时，窗口平均值按 1/(kh·kw) 变化，所以每个格从它所在的每个窗口得到这一份梯度。</translation>
        </message>
        <message>
            <source>Torch computed this node and its backward; the app shows torch's numbers and does not invent the rule.</source>
            <extracomment>core.engine.explain.TEMPLATES['why.torch_rule']; keep the {names}</extracomment>
            <translation>这个节点及其反向传播由 torch 计算；本应用显示 torch 的数值，不会自行编造规则。</translation>
        </message>
    </context>
    <context>
        <name>ExplanationView</name>
        <message>
            <source>Explanation of the current step</source>
            <extracomment>words after the heading's phase ("forward mode" while it is on: the forward panel sets this), so the mode shows where the learner reads (step index, entry index) of the gradient entry spelled out, if any the step index whose explicit Jacobian is shown, if any a What-if's trace whose numbers are explained (show_numbers), None: the model's</extracomment>
            <translation>当前步骤的讲解</translation>
        </message>
        <message>
            <source>Click an entry to see it as the sum it is.</source>
            <translation>点击一个元素，查看它是怎样求和得到的。</translation>
        </message>
        <message>
            <source>Hide the Jacobian</source>
            <translation>隐藏雅可比矩阵</translation>
        </message>
        <message>
            <source>Show the explicit Jacobian ({0}×{1})</source>
            <translation>显示完整的雅可比矩阵（{0}×{1}）</translation>
        </message>
        <message>
            <source>Row: an entry of the output; column: an entry of the input.</source>
            <translation>行：输出的一个元素；列：输入的一个元素。</translation>
        </message>
        <message>
            <source>Ninja mode: write this gradient as an expression in the Ninja box and press Enter.</source>
            <translation>忍者模式：在忍者框中把这个梯度写成表达式，然后按回车。</translation>
        </message>
        <message>
            <source>Quiz: type this number in the answer box and press Enter.</source>
            <translation>测验：在答案框里输入这个数，然后按回车。</translation>
        </message>
        <message>
            <source>Quiz: type entry {0} of this tensor (or all of it as a nested list, such as [[1, 2], [3, 4]]) and press Enter.</source>
            <translation>测验：输入这个张量的元素 {0}（或以嵌套列表输入整个张量，例如 [[1, 2], [3, 4]]），然后按回车。</translation>
        </message>
        <message>
            <source>Step {0} of {1} · {2}</source>
            <translation>第 {0} 步，共 {1} 步 · {2}</translation>
        </message>
        <message>
            <source>This is a script: Run (Ctrl+R) runs it as python would, and each backward() it calls becomes a pass to step through here.</source>
            <translation>这是一个脚本：运行（Ctrl+R）会像 python 一样运行它，它每调用一次 backward() 就成为一次可以在这里逐步查看的传递。</translation>
        </message>
        <message>
            <source>Nothing is computed yet. Press → or Space to take the first step of the forward pass, which computes {0} from the inputs.</source>
            <translation>还没有计算任何东西。按 → 或空格键走前向传播的第一步，由输入计算 {0}。</translation>
        </message>
        <message>
            <source>What if does not compute this step again: its numbers are the pass's own.</source>
            <translation>“假如”不会重新计算这一步：它的数是这次传递自己的。</translation>
        </message>
        <message>
            <source>via {0}: {1}</source>
            <translation>经由 {0}：{1}</translation>
        </message>
    </context>
    <context>
        <name>FeatureMaps</name>
        <message>
            <source>sample</source>
            <translation>样本</translation>
        </message>
        <message>
            <source>+{0} more</source>
            <translation>另有 {0} 个</translation>
        </message>
        <message>
            <source>Before the first step: what the first {op} takes in. Step on (→) to see what it makes of it.</source>
            <translation>第一步之前：第一个 {op} 的输入。继续单步（→）看看它由此算出什么。</translation>
        </message>
        <message>
            <source>Each output map o is Σ_c (input map c ⋆ kernel W[o, c]) + b[o]: the kernel slides over the image{geometry}.</source>
            <translation>每个输出特征图 o 为 Σ_c（输入特征图 c ⋆ 卷积核 W[o, c]）+ b[o]：卷积核在图像上滑动{geometry}。</translation>
        </message>
        <message>
            <source>Each output cell is the {what} of its {k} window{geometry}.</source>
            <translation>每个输出格是其 {k} 窗口的{what}{geometry}。</translation>
        </message>
        <message>
            <source>largest number</source>
            <translation>最大值</translation>
        </message>
        <message>
            <source>average</source>
            <translation>平均值</translation>
        </message>
        <message>
            <source>mask: 0 drops an entry, 1 keeps it; kept entries are scaled by 1/(1 − p) = {scale}</source>
            <translation>掩码：0 丢弃元素，1 保留；保留的元素乘以 1/(1 − p) = {scale}</translation>
        </message>
        <message>
            <source>eval mode (training=False): nothing is dropped, the input passes as is</source>
            <translation>评估模式（training=False）：不丢弃任何元素，输入原样通过</translation>
        </message>
        <message>
            <source>G = the gradient arriving from the {op}'s output ({name})</source>
            <translation>G = 从 {op} 的输出（{name}）传来的梯度</translation>
        </message>
        <message>
            <source>Click a cell of the gradient to spell it out.</source>
            <translation>点击梯度中的一个格，查看它展开后的求和。</translation>
        </message>
        <message>
            <source>Each output cell's gradient goes to the first largest cell of its window (→); every other cell gets 0: moving it does not move the output.</source>
            <translation>每个输出格的梯度流向其窗口中第一个最大格（→）；其余格得到 0：改动它们不会改变输出。</translation>
        </message>
        <message>
            <source>Each output cell's gradient is shared equally by the cells of its window.</source>
            <translation>每个输出格的梯度由其窗口中的格平均分得。</translation>
        </message>
    </context>
    <context>
        <name>ForwardPanel</name>
        <message>
            <source>Why backwards</source>
            <extracomment>torch forward_ad's answer for the walk shown: {"ok": {name: bool}, …} or None</extracomment>
            <translation>为什么要反向</translation>
        </message>
        <message>
            <source>Seed ∂w/∂w = 1 for w =</source>
            <translation>种子 ∂w/∂w = 1，w =</translation>
        </message>
        <message>
            <source>Forward mode</source>
            <translation>前向模式</translation>
        </message>
        <message>
            <source>What if</source>
            <translation>假如</translation>
        </message>
        <message>
            <source>name</source>
            <translation>名称</translation>
        </message>
        <message>
            <source>value</source>
            <translation>值</translation>
        </message>
        <message>
            <source>gradient</source>
            <translation>梯度</translation>
        </message>
        <message>
            <source>loss against w, with the tangent line</source>
            <translation>损失随 w 的变化，以及切线</translation>
        </message>
        <message>
            <source>forward mode</source>
            <translation>前向模式</translation>
        </message>
        <message>
            <source>Forward Mode</source>
            <extracomment>nodes × passes that "Why backwards" may spend comparing the modes</extracomment>
            <translation>前向模式</translation>
        </message>
        <message>
            <source>Now: forward mode (tangents carried from the seed)</source>
            <translation>当前：前向模式（切线从种子向前传递）</translation>
        </message>
        <message>
            <source>Now: reverse mode (backpropagation)</source>
            <translation>当前：反向模式（反向传播）</translation>
        </message>
        <message>
            <source>Switch to reverse mode</source>
            <translation>切换到反向模式</translation>
        </message>
        <message>
            <source>Switch to forward mode</source>
            <translation>切换到前向模式</translation>
        </message>
        <message>
            <source>PyTorch forward_ad is not asked on a recorded pass: its gradients are checked against the ones torch recorded (the PyTorch panel).</source>
            <translation>记录下来的一遍不向 PyTorch forward_ad 询问：它的梯度已与 torch 记录的梯度核对（见 PyTorch 面板）。</translation>
        </message>
        <message>
            <source>PyTorch forward_ad: switch to forward mode to check</source>
            <translation>PyTorch forward_ad：切换到前向模式即可核对</translation>
        </message>
        <message>
            <source>Forward mode needs data or a parameter to seed.</source>
            <translation>前向模式需要一个数据或参数作为种子。</translation>
        </message>
        <message>
            <source>equal</source>
            <translation>相等</translation>
        </message>
        <message>
            <source>different</source>
            <translation>不同</translation>
        </message>
        <message>
            <source>PyTorch forward_ad: checking…</source>
            <translation>PyTorch forward_ad：正在检查…</translation>
        </message>
        <message>
            <source>PyTorch forward_ad: not available ({0})</source>
            <translation>PyTorch forward_ad：不可用（{0}）</translation>
        </message>
        <message>
            <source>PyTorch forward_ad: every tangent matches ✓</source>
            <translation>PyTorch forward_ad：每个切向量都一致 ✓</translation>
        </message>
        <message>
            <source>PyTorch forward_ad: MISMATCH ✗ {0}</source>
            <translation>PyTorch forward_ad：不一致 ✗ {0}</translation>
        </message>
        <message>
            <source>What if: pick a scalar input</source>
            <extracomment>(axes, curve, tangent line, point) once the plot is first seen or asked for (the panel starts behind the PyTorch tab: gui.panels.lazy_plot); until then the curve's and the moving point's data wait in _curve_data, _moving_data</extracomment>
            <translation>假如：请选择一个标量输入</translation>
        </message>
        <message>
            <source>What if {0} = {1}: slope ∂{2}/∂{0} = {3}</source>
            <translation>假如 {0} = {1}：斜率 ∂{2}/∂{0} = {3}</translation>
        </message>
        <message>
            <source>Forward mode is unavailable on this pass: it holds {0}, whose rule only torch knows (its numbers are torch's, recorded for this pass), so no tangent can be carried through it.</source>
            <extracomment>the row slider's positions across its range (like the panel's)</extracomment>
            <translation>这一遍不能使用前向模式：其中含有 {0}，它的规则只有 torch 知道（其数值是 torch 在这一遍记录的），所以切向量无法穿过它。</translation>
        </message>
        <message>
            <source>What if is unavailable on this pass: it holds {0}, whose rule only torch knows, so the pass cannot be computed again with another value.</source>
            <translation>这一遍不能使用“假如”：其中含有 {0}，它的规则只有 torch 知道，所以无法用另一个值重新计算这一遍。</translation>
        </message>
    </context>
    <context>
        <name>GraphCanvas</name>
        <message>
            <source>data</source>
            <extracomment>a gradient label sums at most this many contributions (the rest become "…"): a parameter used 10,000 times would otherwise get a label too long to draw or read edge labels longer than this many characters go on two lines a formula longer than this is shortened with "…" on the canvas (full text on hover) vectors longer than this are drawn as a column of cells, up to VECTOR_CELLS and "…" the legend: marker, colour role, long label, short label (for a narrow window)</extracomment>
            <translation>数据</translation>
        </message>
        <message>
            <source>parameter</source>
            <translation>参数</translation>
        </message>
        <message>
            <source>constant</source>
            <translation>常量</translation>
        </message>
        <message>
            <source>operation</source>
            <translation>运算</translation>
        </message>
        <message>
            <source>op</source>
            <translation>运算</translation>
        </message>
        <message>
            <source>value (above)</source>
            <translation>值（上方）</translation>
        </message>
        <message>
            <source>value</source>
            <translation>值</translation>
        </message>
        <message>
            <source>gradient ∂{0}/∂node (below)</source>
            <translation>梯度 ∂{0}/∂节点（下方）</translation>
        </message>
        <message>
            <source>gradient</source>
            <translation>梯度</translation>
        </message>
        <message>
            <source>local gradient (on edge)</source>
            <translation>局部梯度（边上）</translation>
        </message>
        <message>
            <source>local</source>
            <translation>局部梯度</translation>
        </message>
        <message>
            <source>current step</source>
            <translation>当前步骤</translation>
        </message>
        <message>
            <source>current</source>
            <translation>当前</translation>
        </message>
        <message>
            <source>not needed</source>
            <translation>不需要</translation>
        </message>
        <message>
            <source>value: not computed yet</source>
            <translation>值：尚未计算</translation>
        </message>
        <message>
            <source>value = {0}</source>
            <translation>值 = {0}</translation>
        </message>
        <message>
            <source>out of date — fix the program or undo</source>
            <translation>已过期 — 请修正程序或撤销</translation>
        </message>
        <message>
            <source>overview: labels only around the current step — F zooms in to read</source>
            <translation>概览：只显示当前步骤周围的标签 — 按 F 放大以便阅读</translation>
        </message>
        <message>
            <source>zoomed in to read — View → Whole graph (Shift+F) shows all of it</source>
            <translation>已放大以便阅读 — 视图 → 整个图 (Shift+F) 显示全部</translation>
        </message>
        <message>
            <source>tangent ∂node/∂{0}</source>
            <extracomment>the legend's entry in forward mode (long, and short for a narrow window)</extracomment>
            <translation>切向量 ∂节点/∂{0}</translation>
        </message>
        <message>
            <source>tangent</source>
            <translation>切向量</translation>
        </message>
    </context>
    <context>
        <name>IterationSelector</name>
        <message>
            <source>Pass</source>
            <translation>反向传播</translation>
        </message>
        <message>
            <source>Iteration of the training loop</source>
            <translation>训练循环的迭代</translation>
        </message>
        <message>
            <source>Jump to an iteration of the loop: its graph is stepped from the start, with .grad as it is then (Ctrl+] next, Ctrl+[ previous)</source>
            <translation>跳到循环的某次迭代：从头逐步查看它的计算图，.grad 保持当时的值（Ctrl+] 下一次，Ctrl+[ 上一次）</translation>
        </message>
        <message>
            <source>Previous iteration (Ctrl+[)</source>
            <translation>上一次迭代（Ctrl+[）</translation>
        </message>
        <message>
            <source>Next iteration (Ctrl+])</source>
            <translation>下一次迭代（Ctrl+]）</translation>
        </message>
        <message>
            <source>Group</source>
            <translation>组</translation>
        </message>
        <message>
            <source>of {0}</source>
            <translation>共 {0} 次</translation>
        </message>
    </context>
    <context>
        <name>LessonTables</name>
        <message>
            <source>node</source>
            <extracomment>steps by phase, in row order, and the steps whose cells exist widths of a row's cells in columns 0 and 2 once done, in the current row's font</extracomment>
            <translation>节点</translation>
        </message>
        <message>
            <source>computation</source>
            <translation>计算</translation>
        </message>
        <message>
            <source>value</source>
            <translation>值</translation>
        </message>
        <message>
            <source>formula</source>
            <translation>公式</translation>
        </message>
        <message>
            <source>local gradient</source>
            <translation>局部梯度</translation>
        </message>
        <message>
            <source>chain rule</source>
            <translation>链式法则</translation>
        </message>
        <message>
            <source>gradient of the loss</source>
            <translation>损失的梯度</translation>
        </message>
        <message>
            <source>parameter</source>
            <translation>参数</translation>
        </message>
        <message>
            <source>gradient descent</source>
            <translation>梯度下降</translation>
        </message>
        <message>
            <source>new value</source>
            <translation>新值</translation>
        </message>
        <message>
            <source>not needed</source>
            <translation>不需要</translation>
        </message>
        <message>
            <source>{0} (the pass's own: What if does not compute this step again)</source>
            <translation>{0}（这次传递自己的：“假如”不会重新计算这一步）</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Program</source>
            <extracomment>how a program declares its inputs (the placeholder and Help → Writing a Program)</extracomment>
            <translation>程序</translation>
        </message>
        <message>
            <source>PyTorch</source>
            <translation>PyTorch</translation>
        </message>
        <message>
            <source>Steps</source>
            <extracomment>room between the bar's groups of buttons (pixels): 8, not 12, so that one row still holds every button and the slider in a 1280-pixel window with a bold phase button at least this wide (pixels), as before: the slider beside it keeps its place</extracomment>
            <translation>步骤</translation>
        </message>
        <message>
            <source>Explanation</source>
            <translation>讲解</translation>
        </message>
        <message>
            <source>Lesson tables</source>
            <extracomment>up to this many steps every cell is made at once (and columns fit their contents) rows made beyond the visible ones, so that a small scroll finds them ready</extracomment>
            <translation>课程表格</translation>
        </message>
        <message>
            <source>Next step</source>
            <translation>下一步</translation>
        </message>
        <message>
            <source>Previous step</source>
            <translation>上一步</translation>
        </message>
        <message>
            <source>Reset to the start</source>
            <translation>回到开始</translation>
        </message>
        <message>
            <source>To the end</source>
            <translation>跳到最后</translation>
        </message>
        <message>
            <source>First step of the forward pass</source>
            <translation>前向传播的第一步</translation>
        </message>
        <message>
            <source>First step of the local gradients</source>
            <translation>局部梯度的第一步</translation>
        </message>
        <message>
            <source>First step of the backward pass</source>
            <translation>反向传播的第一步</translation>
        </message>
        <message>
            <source>Next iteration of the loop</source>
            <translation>循环的下一次迭代</translation>
        </message>
        <message>
            <source>Previous iteration of the loop</source>
            <translation>循环的上一次迭代</translation>
        </message>
        <message>
            <source>Play / pause</source>
            <translation>播放 / 暂停</translation>
        </message>
        <message>
            <source>Apply the program</source>
            <translation>应用程序</translation>
        </message>
        <message>
            <source>Undo</source>
            <translation>撤销</translation>
        </message>
        <message>
            <source>Redo</source>
            <translation>重做</translation>
        </message>
        <message>
            <source>New</source>
            <translation>新建</translation>
        </message>
        <message>
            <source>Open…</source>
            <translation>打开…</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>保存</translation>
        </message>
        <message>
            <source>Save As…</source>
            <translation>另存为…</translation>
        </message>
        <message>
            <source>Export Image…</source>
            <translation>导出图片…</translation>
        </message>
        <message>
            <source>Export Step-Through…</source>
            <translation>导出分步讲解…</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>退出</translation>
        </message>
        <message>
            <source>Dark Theme</source>
            <translation>深色主题</translation>
        </message>
        <message>
            <source>Presentation Mode</source>
            <translation>演示模式</translation>
        </message>
        <message>
            <source>Fit Graph to View</source>
            <translation>让图适应窗口</translation>
        </message>
        <message>
            <source>Zoom In</source>
            <translation>放大</translation>
        </message>
        <message>
            <source>Zoom Out</source>
            <translation>缩小</translation>
        </message>
        <message>
            <source>Keyboard Shortcuts</source>
            <translation>键盘快捷键</translation>
        </message>
        <message>
            <source>About Backprop Stepper</source>
            <translation>关于 Backprop Stepper</translation>
        </message>
        <message>
            <source>Third-party licences…</source>
            <translation>第三方许可证…</translation>
        </message>
        <message>
            <source>Show PyTorch's results from the start</source>
            <translation>从一开始就显示 PyTorch 的结果</translation>
        </message>
        <message>
            <source>Writing a Program</source>
            <translation>编写程序</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>语言</translation>
        </message>
        <message>
            <source>System default</source>
            <translation>跟随系统</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <source>Recent</source>
            <translation>最近打开</translation>
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation>编辑(&amp;E)</translation>
        </message>
        <message>
            <source>&amp;Step</source>
            <translation>单步(&amp;S)</translation>
        </message>
        <message>
            <source>This is the loop's last iteration ({0} of {0}).</source>
            <extracomment>``QT_TRANSLATE_NOOP("MainWindow", …)``, translated whenever the language changes called with the window (and ``checked`` for a checkable action)</extracomment>
            <translation>这是循环的最后一次迭代（第 {0} 次，共 {0} 次）。</translation>
        </message>
        <message>
            <source>This is the loop's first iteration.</source>
            <translation>这是循环的第一次迭代。</translation>
        </message>
        <message>
            <source>E&amp;xamples</source>
            <translation>示例(&amp;X)</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <source>Panels</source>
            <translation>面板</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <source>Building the graph… ({0} lines)</source>
            <extracomment>a script run by Run ended; the window shows its end (gui.window.run_window) every menu, action and dock title, re-set on a language switch</extracomment>
            <translation>正在构建计算图…（{0} 行）</translation>
        </message>
        <message>
            <source>Untitled</source>
            <translation>未命名</translation>
        </message>
        <message>
            <source>Could not open {0}: {1}. Your work is unchanged.</source>
            <translation>无法打开 {0}：{1}。你的工作没有改动。</translation>
        </message>
        <message>
            <source>Opened {0}</source>
            <translation>已打开 {0}</translation>
        </message>
        <message>
            <source>Saving {0}…</source>
            <translation>正在保存 {0}…</translation>
        </message>
        <message>
            <source>Could not save {0}: {1}</source>
            <translation>无法保存 {0}：{1}</translation>
        </message>
        <message>
            <source>Saved {0}</source>
            <translation>已保存 {0}</translation>
        </message>
        <message>
            <source>Backprop Stepper sessions (*.json);;All files (*)</source>
            <translation>Backprop Stepper 会话 (*.json);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Sessions and scripts (*.json *.py);;Backprop Stepper sessions (*.json);;Python scripts (*.py);;All files (*)</source>
            <translation>会话和脚本 (*.json *.py);;Backprop Stepper 会话 (*.json);;Python 脚本 (*.py);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Save Session</source>
            <translation>保存会话</translation>
        </message>
        <message>
            <source>Could not export the image: {0}</source>
            <translation>无法导出图片：{0}</translation>
        </message>
        <message>
            <source>Exported {0}</source>
            <translation>已导出 {0}</translation>
        </message>
        <message>
            <source>Export Image</source>
            <translation>导出图片</translation>
        </message>
        <message>
            <source>PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)</source>
            <translation>PNG 图片 (*.png);;SVG 矢量图 (*.svg);;PDF 文档 (*.pdf)</translation>
        </message>
        <message>
            <source>Could not export the step-through: {0}</source>
            <translation>无法导出分步讲解：{0}</translation>
        </message>
        <message>
            <source>Export Step-Through</source>
            <translation>导出分步讲解</translation>
        </message>
        <message>
            <source>Animated GIF (*.gif);;PDF handout (*.pdf)</source>
            <translation>GIF 动画 (*.gif);;PDF 讲义 (*.pdf)</translation>
        </message>
        <message>
            <source>Open Session</source>
            <translation>打开会话</translation>
        </message>
        <message>
            <source>Unsaved changes</source>
            <translation>未保存的更改</translation>
        </message>
        <message>
            <source>The program has changes that are not saved. Save them?</source>
            <translation>程序有尚未保存的更改。要保存吗？</translation>
        </message>
        <message>
            <source>What if… on the Variables table's row</source>
            <translation>在变量表的一行上“假如……”</translation>
        </message>
        <message>
            <source>Leave presentation mode</source>
            <translation>退出演示模式</translation>
        </message>
        <message>
            <source>Move the cursor while typing in the program or a cell</source>
            <translation>在程序或单元格中输入时移动光标</translation>
        </message>
        <message>
            <source>arrows (they do not step then)</source>
            <translation>方向键（此时不会单步）</translation>
        </message>
        <message>
            <source>One row per action: what it does, and its keys</source>
            <translation>每个操作一行：它做什么，以及它的按键</translation>
        </message>
        <message>
            <source>Action</source>
            <translation>操作</translation>
        </message>
        <message>
            <source>Keys</source>
            <translation>按键</translation>
        </message>
        <message>
            <source>&lt;h3&gt;Backprop Stepper {0}&lt;/h3&gt;&lt;p&gt;Step through backpropagation: the forward pass, the local gradients, and the backward pass, checked against PyTorch autograd and finite differences.&lt;/p&gt;&lt;p&gt;Backprop Stepper is free software under the MIT licence.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Built with&lt;/b&gt; (their licences):&lt;br&gt;Qt 6 and Qt for Python (PySide6) — LGPL v3&lt;br&gt;matplotlib — Matplotlib licence (PSF-style)&lt;br&gt;NetworkX — BSD 3-clause&lt;br&gt;NumPy — BSD 3-clause&lt;br&gt;PyTorch (optional, for the comparison) — BSD 3-clause&lt;/p&gt;&lt;p&gt;Colours: the Okabe–Ito palette, safe for colour-blind readers.&lt;/p&gt;</source>
            <translation>&lt;h3&gt;Backprop Stepper {0}&lt;/h3&gt;&lt;p&gt;一步一步地走过反向传播：前向传播、局部梯度和反向传播，每个数都与 PyTorch autograd 和有限差分核对。&lt;/p&gt;&lt;p&gt;Backprop Stepper 是自由软件，采用 MIT 许可证。&lt;/p&gt;&lt;p&gt;&lt;b&gt;使用的软件&lt;/b&gt;（及其许可证）：&lt;br&gt;Qt 6 与 Qt for Python（PySide6）— LGPL v3&lt;br&gt;matplotlib — Matplotlib 许可证（PSF 风格）&lt;br&gt;NetworkX — BSD 3-clause&lt;br&gt;NumPy — BSD 3-clause&lt;br&gt;PyTorch（可选，用于对照）— BSD 3-clause&lt;/p&gt;&lt;p&gt;配色：Okabe–Ito 调色板，色盲读者也能分辨。&lt;/p&gt;</translation>
        </message>
        <message>
            <source>Third-party licences</source>
            <translation>第三方许可证</translation>
        </message>
        <message>
            <source>Whole Graph</source>
            <extracomment>the steps of View → Text size (1 = normal); presentation mode multiplies by 1.5 a first launch takes at most this share of the screen's available area (each way)</extracomment>
            <translation>整个图</translation>
        </message>
        <message>
            <source>Follow the Current Step</source>
            <translation>跟随当前步骤</translation>
        </message>
        <message>
            <source>Larger Graph Text</source>
            <translation>增大图中文字</translation>
        </message>
        <message>
            <source>Smaller Graph Text</source>
            <translation>减小图中文字</translation>
        </message>
        <message>
            <source>Show the Menus (Presentation Mode)</source>
            <translation>显示菜单（演示模式）</translation>
        </message>
        <message>
            <source>Presentation mode: Esc or F11 leaves it; F10 shows the menus.</source>
            <translation>演示模式：按 Esc 或 F11 退出；按 F10 显示菜单。</translation>
        </message>
        <message>
            <source>Output</source>
            <translation>输出</translation>
        </message>
        <message>
            <source>Next lessons</source>
            <translation>后续课程</translation>
        </message>
        <message>
            <source>Plots</source>
            <extracomment>at most this many figures are shown (the first ones); the rest are counted</extracomment>
            <translation>图表</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>停止</translation>
        </message>
        <message>
            <source>Preferences…</source>
            <translation>首选项…</translation>
        </message>
        <message>
            <source>&amp;Run</source>
            <translation>运行(&amp;R)</translation>
        </message>
        <message>
            <source>Run again</source>
            <translation>再次运行</translation>
        </message>
        <message>
            <source>Run</source>
            <translation>运行</translation>
        </message>
        <message>
            <source>Run the script as python FILE would, and record what PyTorch did ({0})</source>
            <translation>像 python FILE 那样运行脚本，并记录 PyTorch 所做的计算（{0}）</translation>
        </message>
        <message>
            <source>Stop the script</source>
            <translation>停止脚本</translation>
        </message>
        <message>
            <source>There is no script to run.</source>
            <translation>没有可运行的脚本。</translation>
        </message>
        <message>
            <source>This program is stepped as it is: Apply (Ctrl+Enter) shows it. Run runs scripts, the texts Apply cannot read (def, for, while, if, with, imports).</source>
            <translation>这个程序可直接单步查看：应用（Ctrl+Enter）即可显示。运行用于脚本，即应用无法读取的文本（def、for、while、if、with、import）。</translation>
        </message>
        <message>
            <source>This is a script: Apply does not build it. Run (Ctrl+R) runs it as python FILE would, with your permissions, and records what PyTorch did.</source>
            <translation>这是一个脚本：应用不会构建它。运行（Ctrl+R）会像 python FILE 一样以你的权限运行它，并记录 PyTorch 所做的一切。</translation>
        </message>
        <message>
            <source>Run a script</source>
            <translation>运行脚本</translation>
        </message>
        <message>
            <source>{0} runs as python {0} would, with your permissions: it can read and change your files. Run only scripts you trust.</source>
            <translation>{0} 将像 python {0} 那样以你的权限运行：它可以读取和修改你的文件。请只运行你信任的脚本。</translation>
        </message>
        <message>
            <source>The script could not start: {0}</source>
            <translation>脚本无法启动：{0}</translation>
        </message>
        <message>
            <source>The script needs torchvision, which this Python cannot load. Choose a Python for scripts that has torchvision in Run → Preferences.</source>
            <translation>脚本需要 torchvision，但这个 Python 无法加载它。请在 运行 → 首选项 中选择一个装有 torchvision 的脚本用 Python。</translation>
        </message>
        <message>
            <source>The recording could not be read: {0}</source>
            <translation>无法读取记录：{0}</translation>
        </message>
        <message>
            <source>The script called no backward(): these are its forward computations, which can be stepped forward. No gradients were asked for.</source>
            <translation>脚本没有调用 backward()：这些是它的前向计算，可以向前单步查看。脚本没有请求梯度。</translation>
        </message>
        <message>
            <source>Running… its passes show here when it ends.</source>
            <translation>正在运行… 结束后各次反向传播显示在这里。</translation>
        </message>
        <message>
            <source>Run to record (Ctrl+R)

The script runs as python FILE would; each backward() call is then a pass to step through.</source>
            <translation>运行以记录（Ctrl+R）

脚本将像 python FILE 那样运行；之后每次 backward() 调用都是一次可单步查看的反向传播。</translation>
        </message>
        <message>
            <source>The script stopped before its first backward(): there is no pass to step.</source>
            <translation>脚本在第一次 backward() 之前就停止了：没有可单步查看的反向传播。</translation>
        </message>
        <message>
            <source>The script called no backward(): no gradients were asked for, so there is no pass to step.</source>
            <translation>脚本没有调用 backward()：没有请求梯度，因此没有可单步查看的反向传播。</translation>
        </message>
        <message>
            <source>Group {0} of {1}</source>
            <translation>第 {0} 组（共 {1} 组）</translation>
        </message>
        <message>
            <source>: iteration {0} of the loop on line {1}</source>
            <translation>：第 {1} 行循环的第 {0} 次迭代</translation>
        </message>
        <message>
            <source>: the computations outside the loop</source>
            <translation>：循环之外的计算</translation>
        </message>
        <message>
            <source>The script called no backward(): its forward computations can be stepped forward. No gradients were asked for.</source>
            <translation>脚本没有调用 backward()：可以逐步查看它的前向计算。没有请求梯度。</translation>
        </message>
        <message>
            <source>Group {0} of {1} was kept only as a summary.</source>
            <translation>第 {0} 组（共 {1} 组）只保留了摘要。</translation>
        </message>
        <message>
            <source>Run again, keeping group {0}</source>
            <translation>重新运行，保留第 {0} 组</translation>
        </message>
        <message>
            <source>Pass {0} of {1} was kept only as a summary</source>
            <translation>第 {0} 次（共 {1} 次）反向传播只保留了摘要</translation>
        </message>
        <message>
            <source> (loss {0})</source>
            <translation>（损失 {0}）</translation>
        </message>
        <message>
            <source>The script draws random numbers without a seed: the new run will differ.</source>
            <translation>脚本在没有设置种子的情况下抽取随机数：新的运行结果会不同。</translation>
        </message>
        <message>
            <source>Run again, keeping pass {0}</source>
            <translation>再次运行，保留第 {0} 次反向传播</translation>
        </message>
        <message>
            <source>The recording was not saved: {0}</source>
            <translation>记录未保存：{0}</translation>
        </message>
        <message>
            <source>Reset Layout</source>
            <extracomment>below WIDE_WINDOW the two side docks take at most this share of the window's width together: the graph keeps the other half (issue 24: on a 960×540 screen it had 27 %)</extracomment>
            <translation>重置布局</translation>
        </message>
        <message>
            <source>{0} (in {1})</source>
            <translation>{0}（位于 {1}）</translation>
        </message>
        <message>
            <source>Something went wrong: {0}. Your work is autosaved.</source>
            <translation>出错了：{0}。你的工作已自动保存。</translation>
        </message>
        <message>
            <source>Something went wrong: {0}. Your work is autosaved; the details are in {1}.</source>
            <translation>出错了：{0}。你的工作已自动保存；详细信息见 {1}。</translation>
        </message>
    </context>
    <context>
        <name>MatrixDialog</name>
        <message>
            <source>Edit {0} ({1})</source>
            <translation>编辑 {0}（{1}）</translation>
        </message>
        <message>
            <source>One number per cell; OK applies the matrix.</source>
            <translation>每个单元格一个数；按“确定”应用这个矩阵。</translation>
        </message>
    </context>
    <context>
        <name>MessageBar</name>
        <message>
            <source>Dismiss</source>
            <translation>关闭</translation>
        </message>
    </context>
    <context>
        <name>NinjaHints</name>
        <message>
            <source>This cannot be computed ({error}). ∂{output}/∂{target} has the shape of {target}: {shape}.</source>
            <extracomment>core.ninja.hints.TEMPLATES, listed here so that lupdate finds them (a test checks that the two agree)</extracomment>
            <translation>这无法计算（{error}）。∂{output}/∂{target} 的形状与 {target} 相同：{shape}。</translation>
        </message>
        <message>
            <source>{used} is not right yet: with the right {used}, this answer would be right. Fix {used} first.</source>
            <translation>{used} 还不对：用正确的 {used}，这个答案就是对的。请先改正 {used}。</translation>
        </message>
        <message>
            <source>The forward pass broadcast {target} over the batch: sum the gradient over that axis ({sum}).</source>
            <translation>前向传播把 {target} 沿批次广播了：请沿该轴对梯度求和（{sum}）。</translation>
        </message>
        <message>
            <source>This is the transpose of the gradient: ∂{output}/∂{target} has the shape of {target}, {shape}.</source>
            <translation>这是梯度的转置：∂{output}/∂{target} 的形状与 {target} 相同，为 {shape}。</translation>
        </message>
        <message>
            <source>The sign is flipped: check the local rule ({rule}).</source>
            <translation>符号反了：请检查局部规则（{rule}）。</translation>
        </message>
        <message>
            <source>relu passes the gradient only where its input was positive: multiply by the mask ({mask} &gt; 0).</source>
            <translation>relu 只在输入为正的地方传递梯度：请乘以掩码 ({mask} &gt; 0)。</translation>
        </message>
        <message>
            <source>{target} is used {count} times: its gradient is a sum (+=), and the term through {consumer} is missing.</source>
            <translation>{target} 被使用了 {count} 次：它的梯度是一个和（+=），缺少经过 {consumer} 的那一项。</translation>
        </message>
        <message>
            <source>∂{output}/∂{target} has the shape of {target}: {shape}, not {given}.</source>
            <translation>∂{output}/∂{target} 的形状与 {target} 相同：{shape}，而不是 {given}。</translation>
        </message>
        <message>
            <source>Fused: softmax, log and nll together give ∂{output}/∂{target} = (softmax({target}) − onehot) / N, a {shape} tensor.</source>
            <translation>融合：softmax、log 和 nll 合在一起得到 ∂{output}/∂{target} = (softmax({target}) − onehot) / N，形状为 {shape} 的张量。</translation>
        </message>
        <message>
            <source>{target} is used {count} times: its gradient is a sum of {count} terms (+=).</source>
            <translation>{target} 被使用了 {count} 次：它的梯度是 {count} 项之和（+=）。</translation>
        </message>
        <message>
            <source>The forward pass broadcast {target} over the batch: sum the gradient over that axis.</source>
            <translation>前向传播把 {target} 沿批次广播了：请沿该轴对梯度求和。</translation>
        </message>
        <message>
            <source>matmul: G ↦ {rule} for {target}.</source>
            <translation>矩阵乘法：对 {target}，G ↦ {rule}。</translation>
        </message>
        <message>
            <source>Chain rule: the gradient from {consumer} times the local gradient ({rule}).</source>
            <translation>链式法则：来自 {consumer} 的梯度乘以局部梯度（{rule}）。</translation>
        </message>
    </context>
    <context>
        <name>NinjaView</name>
        <message>
            <source>Level 1</source>
            <translation>第 1 级</translation>
        </message>
        <message>
            <source>Level 1: every node of the backward pass</source>
            <translation>第 1 级：反向传播的每个节点</translation>
        </message>
        <message>
            <source>Level 2: fused</source>
            <translation>第 2 级：融合</translation>
        </message>
        <message>
            <source>Level 2: softmax + log + nll (or cross_entropy) as one answer, (softmax(logits) − onehot) / N</source>
            <translation>第 2 级：softmax + log + nll（或 cross_entropy）作为一个答案，(softmax(logits) − onehot) / N</translation>
        </message>
        <message>
            <source>Level 3: train</source>
            <translation>第 3 级：训练</translation>
        </message>
        <message>
            <source>Level 3: train with your gradients, beside the right ones</source>
            <translation>第 3 级：用你的梯度训练，与正确的梯度对比</translation>
        </message>
        <message>
            <source>Ninja level</source>
            <translation>忍者级别</translation>
        </message>
        <message>
            <source>Check</source>
            <translation>检查</translation>
        </message>
        <message>
            <source>Show answer</source>
            <translation>显示答案</translation>
        </message>
        <message>
            <source>Go on with it</source>
            <translation>就用它继续</translation>
        </message>
        <message>
            <source>Level 3: keep this wrong gradient and see how training goes with it</source>
            <translation>第 3 级：保留这个错误的梯度，看看用它训练会怎样</translation>
        </message>
        <message>
            <source>Train with your gradients</source>
            <translation>用你的梯度训练</translation>
        </message>
        <message>
            <source>Leave</source>
            <translation>退出</translation>
        </message>
        <message>
            <source>Leave ninja mode (Ctrl+Shift+N)</source>
            <translation>退出忍者模式（Ctrl+Shift+N）</translation>
        </message>
        <message>
            <source>Iterations of gradient descent</source>
            <translation>梯度下降的迭代次数</translation>
        </message>
        <message>
            <source>a gradient, e.g. 2 * s * d_loss or X.T @ d_z</source>
            <translation>一个梯度，例如 2 * s * d_loss 或 X.T @ d_z</translation>
        </message>
        <message>
            <source>Picture</source>
            <translation>图示</translation>
        </message>
        <message>
            <source>Node</source>
            <translation>节点</translation>
        </message>
        <message>
            <source>Tries</source>
            <translation>尝试次数</translation>
        </message>
        <message>
            <source>Result</source>
            <translation>结果</translation>
        </message>
        <message>
            <source>Hint used</source>
            <translation>用过提示</translation>
        </message>
        <message>
            <source>This does not read as a gradient: {0}</source>
            <translation>这无法读作梯度：{0}</translation>
        </message>
        <message>
            <source>loss: yours (dots), the right gradients' (dashed, = torch SGD), lr = {0}</source>
            <translation>损失：你的（圆点），正确梯度的（虚线，= torch SGD），lr = {0}</translation>
        </message>
        <message>
            <source>stopped: {0}</source>
            <translation>已停止：{0}</translation>
        </message>
        <message>
            <source>Your gradients train like torch's.</source>
            <translation>你的梯度训练起来和 torch 的一样。</translation>
        </message>
        <message>
            <source>Your gradients do not train: the loss does not come down as it should.</source>
            <translation>你的梯度训练不了：损失没有像应有的那样下降。</translation>
        </message>
        <message>
            <source>Names: {0}; torch.exp, .T, @, .sum(0, keepdim=True), (h &gt; 0), torch.zeros_like …</source>
            <translation>可用名称：{0}；torch.exp、.T、@、.sum(0, keepdim=True)、(h &gt; 0)、torch.zeros_like …</translation>
        </message>
        <message>
            <source>Score: {0} of {1}</source>
            <translation>得分：{0} / {1}</translation>
        </message>
        <message>
            <source>{0} = {1} ({2}) = ?</source>
            <translation>{0} = {1}（{2}）= ?</translation>
        </message>
        <message>
            <source>A recorded pass is fixed: level 3 trains straight-line programs.</source>
            <translation>录制的一次传播是固定的：第 3 级只训练直线型程序。</translation>
        </message>
        <message>
            <source>End of the walk.</source>
            <translation>走完了。</translation>
        </message>
        <message>
            <source>Press → to the next gradient to write.</source>
            <translation>按 → 前往下一个要写的梯度。</translation>
        </message>
        <message>
            <source>{0} is given: press → to go on.</source>
            <translation>{0} 是给定的：按 → 继续。</translation>
        </message>
        <message>
            <source>Its rule cannot be written as an answer yet: {0}</source>
            <translation>它的规则暂时无法写成答案：{0}</translation>
        </message>
        <message>
            <source>It comes back through {0}, whose rule only torch knows.</source>
            <translation>它经由 {0} 传回，其规则只有 torch 知道。</translation>
        </message>
        <message>
            <source>The answer: {0} = {1}</source>
            <translation>答案：{0} = {1}</translation>
        </message>
        <message>
            <source>exact {0} · close {1} · max difference {2} · shape {3}</source>
            <translation>完全相同 {0} · 接近 {1} · 最大差 {2} · 形状 {3}</translation>
        </message>
        <message>
            <source>✓ Right: {0}. {1}</source>
            <translation>✓ 正确：{0}。{1}</translation>
        </message>
        <message>
            <source>✗ Not yet: {0}
Hint: {1}</source>
            <translation>✗ 还不对：{0}
提示：{1}</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>是</translation>
        </message>
        <message>
            <source>no</source>
            <translation>否</translation>
        </message>
        <message>
            <source>shown</source>
            <translation>已显示</translation>
        </message>
        <message>
            <source>exact</source>
            <translation>完全相同</translation>
        </message>
        <message>
            <source>close</source>
            <translation>接近</translation>
        </message>
        <message>
            <source>your answer − the gradient</source>
            <translation>你的答案 − 梯度</translation>
        </message>
    </context>
    <context>
        <name>OutputPanel</name>
        <message>
            <source>What the script prints</source>
            <translation>脚本打印的内容</translation>
        </message>
        <message>
            <source>A training script's print(…) output shows here.</source>
            <translation>训练脚本的 print(…) 输出显示在这里。</translation>
        </message>
        <message>
            <source>1 pass recorded</source>
            <translation>已记录 1 次反向传播</translation>
        </message>
        <message>
            <source>{0} passes recorded</source>
            <translation>已记录 {0} 次反向传播</translation>
        </message>
        <message>
            <source>Running · {0} s · {1}</source>
            <translation>运行中 · {0} 秒 · {1}</translation>
        </message>
        <message>
            <source>Stopped after {0} s · {1}</source>
            <translation>{0} 秒后停止 · {1}</translation>
        </message>
        <message>
            <source>The time limit stopped it after {0} s · {1}</source>
            <translation>时间限制在 {0} 秒后停止了它 · {1}</translation>
        </message>
        <message>
            <source>The memory limit stopped it after {0} s · {1}</source>
            <translation>内存限制在 {0} 秒后停止了它 · {1}</translation>
        </message>
        <message>
            <source>The script raised after {0} s · {1}</source>
            <translation>脚本在 {0} 秒后抛出异常 · {1}</translation>
        </message>
        <message>
            <source>Ran in {0} s · {1}</source>
            <translation>运行了 {0} 秒 · {1}</translation>
        </message>
        <message>
            <source>latest loss {0}</source>
            <translation>最新损失 {0}</translation>
        </message>
        <message>
            <source>the text changed since: Run again</source>
            <translation>文本已更改：请再次运行</translation>
        </message>
    </context>
    <context>
        <name>PassLossPlot</name>
        <message>
            <source>pass</source>
            <translation>反向传播次数</translation>
        </message>
        <message>
            <source>loss</source>
            <translation>损失</translation>
        </message>
        <message>
            <source>The loss of every pass</source>
            <extracomment>(axes, line, marker) once the plot is first seen or asked for (the Plots tab starts hidden: gui.panels.lazy_plot)</extracomment>
            <translation>每次反向传播的损失</translation>
        </message>
    </context>
    <context>
        <name>PlotsPanel</name>
        <message>
            <source>The script's plots</source>
            <translation>脚本的图表</translation>
        </message>
        <message>
            <source>A script's plt.show() figures show here.</source>
            <translation>脚本中 plt.show() 的图形显示在这里。</translation>
        </message>
        <message>
            <source>The figure the script showed</source>
            <translation>脚本显示的图</translation>
        </message>
        <message>
            <source>{0} figures the script showed</source>
            <translation>脚本显示了 {0} 张图</translation>
        </message>
        <message>
            <source>Figure {0}</source>
            <translation>图 {0}</translation>
        </message>
    </context>
    <context>
        <name>PreferencesDialog</name>
        <message>
            <source>Preferences</source>
            <extracomment>the interpreter that runs scripts; "" is the app's own the memory limit of a run; half the machine's by default</extracomment>
            <translation>首选项</translation>
        </message>
        <message>
            <source>This app's own Python (with PyTorch)</source>
            <translation>本应用自带的 Python（含 PyTorch）</translation>
        </message>
        <message>
            <source>Python for scripts</source>
            <translation>脚本用 Python</translation>
        </message>
        <message>
            <source>The interpreter that runs your scripts, as python FILE would. It needs torch; choose a virtual environment's python to use its packages (torchvision, say).</source>
            <translation>运行你的脚本的解释器，如同 python FILE。它需要 torch；选择某个虚拟环境的 python 即可使用其中的包（例如 torchvision）。</translation>
        </message>
        <message>
            <source>Choose…</source>
            <translation>选择…</translation>
        </message>
        <message>
            <source> s</source>
            <translation> 秒</translation>
        </message>
        <message>
            <source>Time limit of a run, in seconds</source>
            <translation>一次运行的时间上限（秒）</translation>
        </message>
        <message>
            <source> MB</source>
            <translation> MB</translation>
        </message>
        <message>
            <source>Memory limit of a run, in MB</source>
            <translation>一次运行的内存上限（MB）</translation>
        </message>
        <message>
            <source>Python for scripts:</source>
            <translation>脚本用 Python：</translation>
        </message>
        <message>
            <source>Time limit:</source>
            <translation>时间上限：</translation>
        </message>
        <message>
            <source>Memory limit:</source>
            <translation>内存上限：</translation>
        </message>
        <message>
            <source>A script runs with your permissions, as python FILE would. It is stopped when it runs longer or uses more memory than this; what it recorded until then can still be stepped.</source>
            <translation>脚本像 python FILE 一样以你的权限运行。运行时间或内存超过这些上限时它会被停止；在此之前记录的内容仍可单步查看。</translation>
        </message>
        <message>
            <source>Python for scripts: {0} is not found.</source>
            <translation>脚本用 Python：找不到 {0}。</translation>
        </message>
        <message>
            <source>Python for scripts: {0} cannot be run.</source>
            <translation>脚本用 Python：{0} 无法运行。</translation>
        </message>
    </context>
    <context>
        <name>ProgramHelp</name>
        <message>
            <source>&lt;h3&gt;A program&lt;/h3&gt;&lt;p&gt;A program is a few lines that compute a loss, each &lt;code&gt;name = expression&lt;/code&gt;, with no loops. It is read, never run: every line becomes nodes of the graph you step through. It may contain:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;numbers, names, &lt;code&gt;+ - * / **&lt;/code&gt;, &lt;code&gt;@&lt;/code&gt; (matrix product), parentheses;&lt;/li&gt;&lt;li&gt;the functions exp, log, sqrt, sin, cos, tanh, sigmoid, relu, abs, sum, mean, max, min, softmax, log_softmax, also as &lt;code&gt;torch.exp(x)&lt;/code&gt;, &lt;code&gt;F.relu(x)&lt;/code&gt; or methods (&lt;code&gt;s.pow(2)&lt;/code&gt;, &lt;code&gt;v.sum()&lt;/code&gt;);&lt;/li&gt;&lt;li&gt;tensors: nested lists, &lt;code&gt;torch.tensor(…)&lt;/code&gt;, &lt;code&gt;torch.zeros&lt;/code&gt;, &lt;code&gt;ones&lt;/code&gt;, &lt;code&gt;randn&lt;/code&gt; …, with &lt;code&gt;.T&lt;/code&gt;, &lt;code&gt;reshape&lt;/code&gt;, &lt;code&gt;dim=&lt;/code&gt;;&lt;/li&gt;&lt;li&gt;the losses &lt;code&gt;F.mse_loss&lt;/code&gt;, &lt;code&gt;F.cross_entropy&lt;/code&gt;, &lt;code&gt;F.binary_cross_entropy&lt;/code&gt;, &lt;code&gt;F.nll_loss&lt;/code&gt;;&lt;/li&gt;&lt;li&gt;&lt;code&gt;import torch&lt;/code&gt;, &lt;code&gt;print(…)&lt;/code&gt; and &lt;code&gt;loss.backward()&lt;/code&gt;, so PyTorch code pastes as it is.&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;The lesson:&lt;/p&gt;</source>
            <translation>&lt;h3&gt;程序&lt;/h3&gt;&lt;p&gt;程序是计算损失的几行代码，每行是 &lt;code&gt;名字 = 表达式&lt;/code&gt;，没有循环。它只被读取，从不被运行：每一行都变成你逐步查看的计算图中的节点。程序可以包含：&lt;/p&gt;&lt;ul&gt;&lt;li&gt;数字、名字、&lt;code&gt;+ - * / **&lt;/code&gt;、&lt;code&gt;@&lt;/code&gt;（矩阵乘法）和括号；&lt;/li&gt;&lt;li&gt;函数 exp、log、sqrt、sin、cos、tanh、sigmoid、relu、abs、sum、mean、max、min、softmax、log_softmax，也可以写成 &lt;code&gt;torch.exp(x)&lt;/code&gt;、&lt;code&gt;F.relu(x)&lt;/code&gt; 或方法（&lt;code&gt;s.pow(2)&lt;/code&gt;、&lt;code&gt;v.sum()&lt;/code&gt;）；&lt;/li&gt;&lt;li&gt;张量：嵌套列表、&lt;code&gt;torch.tensor(…)&lt;/code&gt;、&lt;code&gt;torch.zeros&lt;/code&gt;、&lt;code&gt;ones&lt;/code&gt;、&lt;code&gt;randn&lt;/code&gt; …，以及 &lt;code&gt;.T&lt;/code&gt;、&lt;code&gt;reshape&lt;/code&gt;、&lt;code&gt;dim=&lt;/code&gt;；&lt;/li&gt;&lt;li&gt;损失函数 &lt;code&gt;F.mse_loss&lt;/code&gt;、&lt;code&gt;F.cross_entropy&lt;/code&gt;、&lt;code&gt;F.binary_cross_entropy&lt;/code&gt;、&lt;code&gt;F.nll_loss&lt;/code&gt;；&lt;/li&gt;&lt;li&gt;&lt;code&gt;import torch&lt;/code&gt;、&lt;code&gt;print(…)&lt;/code&gt; 和 &lt;code&gt;loss.backward()&lt;/code&gt;，所以 PyTorch 代码可以原样粘贴。&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;本课的例子：&lt;/p&gt;</translation>
        </message>
        <message>
            <source>&lt;p&gt;A one-layer network (Examples → A one-layer network):&lt;/p&gt;</source>
            <translation>&lt;p&gt;单层网络（示例 → 单层网络）：&lt;/p&gt;</translation>
        </message>
        <message>
            <source>&lt;h3&gt;A training script&lt;/h3&gt;&lt;p&gt;A text the program form cannot read (with &lt;code&gt;for i in range(…)&lt;/code&gt;, &lt;code&gt;while&lt;/code&gt;, &lt;code&gt;def&lt;/code&gt;, &lt;code&gt;if&lt;/code&gt;, &lt;code&gt;with&lt;/code&gt; or &lt;code&gt;class&lt;/code&gt;, or an import other than &lt;code&gt;torch&lt;/code&gt;, &lt;code&gt;torch.nn&lt;/code&gt; and &lt;code&gt;torch.nn.functional&lt;/code&gt;) is a script. Apply does not build it: Run (Ctrl+R) runs it as &lt;code&gt;python FILE&lt;/code&gt; would, with real PyTorch and your permissions, and records what PyTorch did. Each &lt;code&gt;backward()&lt;/code&gt; call becomes a pass you can step (Ctrl+] and Ctrl+[), each rule checked against torch's numbers; the update phase shows &lt;code&gt;optimizer.step()&lt;/code&gt; (&lt;code&gt;torch.optim.SGD&lt;/code&gt;, Adam) or your own update in &lt;code&gt;with torch.no_grad():&lt;/code&gt;, and the Output pane shows what the script printed. Anything Python runs may be in it: &lt;code&gt;nn.Linear&lt;/code&gt;, &lt;code&gt;nn.Module&lt;/code&gt; classes, numpy, scikit-learn.&lt;/p&gt;&lt;p&gt;Examples → Next lessons has lessons of this kind. Linear regression by gradient descent:&lt;/p&gt;</source>
            <translation>&lt;h3&gt;训练脚本&lt;/h3&gt;&lt;p&gt;程序形式读不了的文本（含有 &lt;code&gt;for i in range(…)&lt;/code&gt;、&lt;code&gt;while&lt;/code&gt;、&lt;code&gt;def&lt;/code&gt;、&lt;code&gt;if&lt;/code&gt;、&lt;code&gt;with&lt;/code&gt; 或 &lt;code&gt;class&lt;/code&gt;，或导入了 &lt;code&gt;torch&lt;/code&gt;、&lt;code&gt;torch.nn&lt;/code&gt; 和 &lt;code&gt;torch.nn.functional&lt;/code&gt; 以外的模块）就是脚本。“应用”不会构建它：“运行”（Ctrl+R）会像 &lt;code&gt;python FILE&lt;/code&gt; 那样，用真正的 PyTorch、以你的权限运行它，并记录 PyTorch 做了什么。每次调用 &lt;code&gt;backward()&lt;/code&gt; 都成为一遍可以逐步查看的传播（Ctrl+] 和 Ctrl+[），每条规则都与 torch 的数值核对；更新阶段显示 &lt;code&gt;optimizer.step()&lt;/code&gt;（&lt;code&gt;torch.optim.SGD&lt;/code&gt;、Adam）或你在 &lt;code&gt;with torch.no_grad():&lt;/code&gt; 中写的更新，输出窗格显示脚本打印的内容。Python 能运行的都可以写进去：&lt;code&gt;nn.Linear&lt;/code&gt;、&lt;code&gt;nn.Module&lt;/code&gt; 类、numpy、scikit-learn。&lt;/p&gt;&lt;p&gt;示例 → 后续课程 中有这类课程。用梯度下降做线性回归：&lt;/p&gt;</translation>
        </message>
        <message>
            <source>&lt;h3&gt;When something is wrong&lt;/h3&gt;&lt;p&gt;The line and column are marked in the editor. A misspelt name gets &lt;i&gt;did you mean …?&lt;/i&gt; with a button that fixes it; names nobody gave a value get a button that adds them to the Variables table. numpy (&lt;code&gt;np.exp&lt;/code&gt;) is not read: write the torch form.&lt;/p&gt;</source>
            <translation>&lt;h3&gt;出错时&lt;/h3&gt;&lt;p&gt;编辑器会标出出错的行和列。拼错的名字会得到&lt;i&gt;“你是想写 …吗？”&lt;/i&gt;，并有一个改正它的按钮；没有赋值的名字会有一个按钮把它们加入变量表。numpy（&lt;code&gt;np.exp&lt;/code&gt;）不会被读取：请写成 torch 的形式。&lt;/p&gt;</translation>
        </message>
    </context>
    <context>
        <name>QuizPanel</name>
        <message>
            <source>Quiz</source>
            <translation>测验</translation>
        </message>
        <message>
            <source>Quiz Mode</source>
            <extracomment>the Step menu's toggles and their keys; ninja mode (issue 23) is a mode of the quiz</extracomment>
            <translation>测验模式</translation>
        </message>
        <message>
            <source>Hide each new number until you type it (Ctrl+Shift+Q)</source>
            <translation>每个新数值先隐藏，等你输入后再显示（Ctrl+Shift+Q）</translation>
        </message>
        <message>
            <source>Your answer</source>
            <translation>你的答案</translation>
        </message>
        <message>
            <source>Check</source>
            <translation>检查</translation>
        </message>
        <message>
            <source>Show answer</source>
            <translation>显示答案</translation>
        </message>
        <message>
            <source>Leave quiz</source>
            <translation>退出测验</translation>
        </message>
        <message>
            <source>What is {0}?</source>
            <translation>{0} 是多少？</translation>
        </message>
        <message>
            <source>End of the walk.</source>
            <translation>已走完全部步骤。</translation>
        </message>
        <message>
            <source>Ninja mode</source>
            <translation>忍者模式</translation>
        </message>
        <message>
            <source>your answer, e.g. -2, 0.5 or 1/4</source>
            <translation>你的答案，例如 -2、0.5 或 1/4</translation>
        </message>
        <message>
            <source>Ninja Mode</source>
            <translation>忍者模式</translation>
        </message>
        <message>
            <source>Ninja</source>
            <translation>忍者</translation>
        </message>
        <message>
            <source>Write each gradient of the backward pass yourself, as an expression (Ctrl+Shift+N)</source>
            <translation>自己把反向传播的每个梯度写成表达式（Ctrl+Shift+N）</translation>
        </message>
        <message>
            <source>Type a number, such as -2, 0.5, 1e-3 or 1/4 (nothing is evaluated).</source>
            <translation>请输入一个数，例如 -2、0.5、1e-3 或 1/4（不会执行任何代码）。</translation>
        </message>
        <message>
            <source>Press → for the next question.</source>
            <translation>按 → 进入下一题。</translation>
        </message>
        <message>
            <source>{0} of {1} right first try</source>
            <translation>{1} 题中 {0} 题一次答对</translation>
        </message>
        <message>
            <source>What is the local gradient {0}?</source>
            <translation>局部梯度 {0} 是多少？</translation>
        </message>
        <message>
            <source>What is the gradient of the loss {0}?</source>
            <translation>损失的梯度 {0} 是多少？</translation>
        </message>
        <message>
            <source>What is the new value of {0}?</source>
            <translation>{0} 的新值是多少？</translation>
        </message>
        <message>
            <source>✓ Right: {0} = {1}</source>
            <translation>✓ 答对了：{0} = {1}</translation>
        </message>
        <message>
            <source>The answer: {0} = {1}</source>
            <translation>答案：{0} = {1}</translation>
        </message>
        <message>
            <source>✗ Not quite. Hint: {0}</source>
            <translation>✗ 不太对。提示：{0}</translation>
        </message>
    </context>
    <context>
        <name>RecoveryBar</name>
        <message>
            <source>The last session ended unexpectedly. Restore the work it had?</source>
            <extracomment>typing in the editor is saved after this pause; everything else at once a script's recording is written beside the recovery file, once per run (a CNN's is megabytes: not rewritten at every step), and named in its settings by this key the folder under the user's data folder (the application's folder by its old name, kept when the application name became ``backprop-stepper``) bars offered at most (the rest wait for the next start: nothing is deleted) recovery files this process's windows write the autosaves still writing (discard_all ends them at a clean exit)</extracomment>
            <translation>上次会话意外结束。要恢复当时的工作吗？</translation>
        </message>
        <message>
            <source>Restore</source>
            <translation>恢复</translation>
        </message>
        <message>
            <source>Discard</source>
            <translation>丢弃</translation>
        </message>
        <message>
            <source>Could not restore the last session: {0}</source>
            <translation>无法恢复上次会话：{0}</translation>
        </message>
    </context>
    <context>
        <name>RunBar</name>
        <message>
            <source>Run</source>
            <translation>运行</translation>
        </message>
        <message>
            <source>Run bar</source>
            <translation>运行栏</translation>
        </message>
        <message>
            <source>Run status</source>
            <translation>运行状态</translation>
        </message>
    </context>
    <context>
        <name>RunState</name>
        <message>
            <source>The time limit stopped the script ({0}); Run → Preferences sets the limit.</source>
            <translation>时间限制停止了脚本（{0}）；可在 运行 → 首选项 中设置限制。</translation>
        </message>
        <message>
            <source>The memory limit stopped the script ({0}); Run → Preferences sets the limit.</source>
            <translation>内存限制停止了脚本（{0}）；可在 运行 → 首选项 中设置限制。</translation>
        </message>
        <message>
            <source>Stopped.</source>
            <translation>已停止。</translation>
        </message>
        <message>
            <source>… {0} more lines (all of them show when the run ends)</source>
            <extracomment>how often the live output and the progress line are brought to the window at most this many lines go into the live console per tick (the rest: "… n lines") a run began (the Output pane empties and becomes a live console) lines printed since the last tick, joined with newlines the progress line changed (elapsed time, passes, latest loss) the run ended and the window shows its end (the last pass at its last step) another pass was chosen (on screen, or only a summary of it was kept) the text in the editor no longer is the text that was recorded a session's saved recording was opened (nothing ran): the window shows it as it shows a run's end (the Output and Plots docks) python (None: the app's own), timeout_s, memory_mb (None: the runner's default) made on the GUI thread before a pass is built; each returns a job for the worker a session's recording opened, its pass not on screen yet: nothing printed shows a forward-only run's groups, as the iteration box and Ctrl+] / Ctrl+[ pick them the editor's text now (the window sets it; by default the text that ran) the name a script with no file of its own runs under: a lesson of ours keeps its own, so that its traceback names it (it read ".../script.py")</extracomment>
            <translation>… 另有 {0} 行（运行结束后全部显示）</translation>
        </message>
        <message>
            <source>pass {0} was not kept</source>
            <extracomment>the names the iteration selector and Ctrl+] / Ctrl+[ call (as a training script's)</extracomment>
            <translation>第 {0} 次反向传播未保留</translation>
        </message>
    </context>
    <context>
        <name>StepBar</name>
        <message>
            <source>Reset to the start (Home)</source>
            <translation>回到开始（Home）</translation>
        </message>
        <message>
            <source>Back one step (Left)</source>
            <translation>后退一步（←）</translation>
        </message>
        <message>
            <source>Next step (Right or Space)</source>
            <translation>下一步（→ 或空格）</translation>
        </message>
        <message>
            <source>To the end (End)</source>
            <translation>跳到最后（End）</translation>
        </message>
        <message>
            <source>Play / pause (P)</source>
            <translation>播放 / 暂停（P）</translation>
        </message>
        <message>
            <source>First step of this phase (Ctrl+{0})</source>
            <translation>这一阶段的第一步（Ctrl+{0}）</translation>
        </message>
        <message>
            <source>speed ×{0}</source>
            <translation>速度 ×{0}</translation>
        </message>
        <message>
            <source>Playing speed</source>
            <translation>播放速度</translation>
        </message>
        <message>
            <source>Position in the trace</source>
            <translation>在计算过程中的位置</translation>
        </message>
        <message>
            <source>step {0} of {1} · {2}</source>
            <translation>第 {0}/{1} 步 · {2}</translation>
        </message>
    </context>
    <context>
        <name>StepperModel</name>
        <message>
            <source>Apply program</source>
            <extracomment>the three phases of the lesson (the engine may add an optional "update" phase) True after a failed Apply: the graph on screen is the last one that built Apply was given a script (core.engine.build.is_script): it waits for Run, unbuilt off by default: the lesson is the three phases, nine steps called on the GUI thread when a worker build starts; each returns a function that the worker calls with the new trace (layout, code: pure work, no widgets) the companions (gui.state.training_state, gui.state.quiz_state) import this module, so whoever makes the model attaches them (gui.state.assemble)</extracomment>
            <translation>应用程序</translation>
        </message>
        <message>
            <source>Set {0} = {1}</source>
            <translation>设置 {0} = {1}</translation>
        </message>
        <message>
            <source>a script gives {0} its value in its text</source>
            <translation>脚本在其代码中给出 {0} 的值</translation>
        </message>
        <message>
            <source>change the line that sets it, then Apply</source>
            <translation>修改给它赋值的那一行，然后点“应用”</translation>
        </message>
        <message>
            <source>Make {0} {1}</source>
            <translation>把 {0} 设为{1}</translation>
        </message>
    </context>
    <context>
        <name>TorchPanel</name>
        <message>
            <source>PyTorch code</source>
            <translation>PyTorch 代码</translation>
        </message>
        <message>
            <source>Copy code</source>
            <translation>复制代码</translation>
        </message>
        <message>
            <source>Copy the PyTorch code to the clipboard</source>
            <translation>把 PyTorch 代码复制到剪贴板</translation>
        </message>
        <message>
            <source>What PyTorch prints</source>
            <translation>PyTorch 的输出</translation>
        </message>
        <message>
            <source>name</source>
            <translation>名称</translation>
        </message>
        <message>
            <source>ours</source>
            <translation>本程序</translation>
        </message>
        <message>
            <source>PyTorch</source>
            <translation>PyTorch</translation>
        </message>
        <message>
            <source>numeric</source>
            <translation>数值差分</translation>
        </message>
        <message>
            <source>loading PyTorch…</source>
            <translation>正在加载 PyTorch…</translation>
        </message>
        <message>
            <source>Code</source>
            <translation>代码</translation>
        </message>
        <message>
            <source>PyTorch prints</source>
            <translation>PyTorch 输出</translation>
        </message>
        <message>
            <source>Ours vs PyTorch vs finite differences</source>
            <translation>本程序 vs PyTorch vs 有限差分</translation>
        </message>
        <message>
            <source>grad_fn chain (from the output back)</source>
            <translation>grad_fn 链（从输出往回）</translation>
        </message>
        <message>
            <source>PyTorch's results appear as you step.</source>
            <translation>PyTorch 的结果会随着单步执行逐一出现。</translation>
        </message>
        <message>
            <source>View → Show PyTorch's results from the start shows them all at once</source>
            <translation>视图 → 从一开始就显示 PyTorch 的结果：一次全部显示</translation>
        </message>
        <message>
            <source>Quiz mode: PyTorch's numbers are hidden until you leave the quiz.</source>
            <translation>测验模式：PyTorch 的数值在你退出测验之前都会隐藏。</translation>
        </message>
        <message>
            <source>checking…</source>
            <translation>正在核对…</translation>
        </message>
        <message>
            <source>PyTorch check failed: {0}</source>
            <extracomment>for a worker thread: a function that writes a trace's PyTorch code ahead</extracomment>
            <translation>PyTorch 核对失败：{0}</translation>
        </message>
        <message>
            <source>PyTorch is not available, so there is no comparison ({0}). Everything else works.</source>
            <translation>PyTorch 不可用，因此没有对照（{0}）。其他功能都正常。</translation>
        </message>
        <message>
            <source>(no grad_fn: nothing needs a gradient)</source>
            <translation>（没有 grad_fn：没有需要梯度的量）</translation>
        </message>
        <message>
            <source>all match</source>
            <translation>全部一致</translation>
        </message>
        <message>
            <source>mismatch: {0}</source>
            <translation>不一致：{0}</translation>
        </message>
        <message>
            <source>agrees</source>
            <translation>一致</translation>
        </message>
        <message>
            <source>disagrees</source>
            <translation>不一致</translation>
        </message>
        <message>
            <source>finite differences unreliable here: cancellation</source>
            <translation>有限差分在此不可靠：抵消</translation>
        </message>
        <message>
            <source>finite differences unreliable here: huge arguments</source>
            <translation>有限差分在此不可靠：参数过大</translation>
        </message>
        <message>
            <source>finite differences unreliable here: rounding</source>
            <translation>有限差分在此不可靠：舍入误差</translation>
        </message>
        <message>
            <source>rounding: PyTorch's is exact</source>
            <translation>舍入差异：PyTorch 的结果是精确的</translation>
        </message>
        <message>
            <source>rounding: ours is exact</source>
            <translation>舍入差异：我们的结果是精确的</translation>
        </message>
        <message>
            <source>Not run yet: Run (Ctrl+R) runs the script with PyTorch and records it.</source>
            <translation>尚未运行：运行（Ctrl+R）会用 PyTorch 运行脚本并记录它。</translation>
        </message>
        <message>
            <source>Recorded from PyTorch.</source>
            <translation>记录自 PyTorch。</translation>
        </message>
        <message>
            <source>Pass {0} of {1}</source>
            <translation>第 {0} 次反向传播（共 {1} 次）</translation>
        </message>
        <message>
            <source>Group {0} of {1}, forward ops (no backward() was called)</source>
            <translation>第 {0} 组（共 {1} 组），前向运算（没有调用 backward()）</translation>
        </message>
        <message>
            <source>The forward ops (no backward() was called)</source>
            <translation>前向运算（没有调用 backward()）</translation>
        </message>
        <message>
            <source>{0}: our rule differs from PyTorch's gradient at {1} of {2} nodes ✗ ({3})</source>
            <translation>{0}：我们的规则在 {2} 个节点中的 {1} 个与 PyTorch 的梯度不同 ✗（{3}）</translation>
        </message>
        <message>
            <source>{0}: our rules match PyTorch's gradients ✓ ({1} nodes)</source>
            <translation>{0}：我们的规则与 PyTorch 的梯度一致 ✓（{1} 个节点）</translation>
        </message>
        <message>
            <source>Torch's own rule (not checked): {0}.</source>
            <translation>torch 自己的规则（未检查）：{0}。</translation>
        </message>
    </context>
    <context>
        <name>TorchService</name>
        <message>
            <source>the PyTorch worker could not start: {0}</source>
            <extracomment>a superseded check this long under way is cancelled (restarting the worker costs about a second: quicker checks are left to finish) request id, answer dict (the kind's answer field, or "failure") how many workers were stopped to cancel a superseded check (for tests)</extracomment>
            <translation>PyTorch 工作进程无法启动：{0}</translation>
        </message>
        <message>
            <source>the PyTorch worker stopped (exit code {0})</source>
            <translation>PyTorch 工作进程已停止（退出码 {0}）</translation>
        </message>
    </context>
    <context>
        <name>TrainingPanel</name>
        <message>
            <source>Training</source>
            <translation>训练</translation>
        </message>
        <message>
            <source>Learning rate</source>
            <translation>学习率</translation>
        </message>
        <message>
            <source>off — type e.g. 0.1 and press Enter</source>
            <translation>关闭——输入如 0.1 后按回车</translation>
        </message>
        <message>
            <source>A learning rate adds the update phase: w ← w − lr · ∂loss/∂w for each parameter</source>
            <translation>设置学习率会加上参数更新阶段：对每个参数执行 w ← w − lr · ∂loss/∂w</translation>
        </message>
        <message>
            <source>Next iteration</source>
            <translation>下一次迭代</translation>
        </message>
        <message>
            <source>Make the updated values the parameters and run the next forward and backward pass (undo with Ctrl+Z)</source>
            <translation>用更新后的值作为参数，运行下一轮前向传播和反向传播（可用 Ctrl+Z 撤销）</translation>
        </message>
        <message>
            <source> iterations</source>
            <translation> 次迭代</translation>
        </message>
        <message>
            <source>How many iterations to train</source>
            <translation>要训练多少次迭代</translation>
        </message>
        <message>
            <source>Train</source>
            <translation>训练</translation>
        </message>
        <message>
            <source>Run this many iterations at once</source>
            <translation>一次运行这么多次迭代</translation>
        </message>
        <message>
            <source>forget zero_grad()</source>
            <translation>忘记 zero_grad()</translation>
        </message>
        <message>
            <source>As in PyTorch when .grad is not reset between iterations: each update uses this pass's gradient plus all the earlier ones</source>
            <translation>就像在 PyTorch 中迭代之间没有清零 .grad：每次更新用的是本轮梯度加上之前所有轮的梯度</translation>
        </message>
        <message>
            <source>First step of the update</source>
            <extracomment>Ctrl+4, in the Step menu next to the other phase jumps</extracomment>
            <translation>参数更新的第一步</translation>
        </message>
        <message>
            <source>loss</source>
            <translation>损失</translation>
        </message>
        <message>
            <source>gradient norm</source>
            <extracomment>(loss_axes, param_axes, loss_line) once made the axes' labels (loss, the lower plot, iteration), set by retranslate</extracomment>
            <translation>梯度范数</translation>
        </message>
        <message>
            <source>parameters</source>
            <translation>参数</translation>
        </message>
        <message>
            <source>{0} parameters</source>
            <translation>{0} 个参数</translation>
        </message>
        <message>
            <source>✓: torch.optim.SGD with the same learning rate gives the same loss, gradients and new values</source>
            <translation>✓：使用相同学习率的 torch.optim.SGD 得到相同的损失、梯度和新值</translation>
        </message>
        <message>
            <source>iteration</source>
            <translation>迭代</translation>
        </message>
        <message>
            <source>The learning rate must be one positive number, such as 0.1.</source>
            <translation>学习率必须是一个正数，如 0.1。</translation>
        </message>
        <message>
            <source>The script never called backward(): there is no pass to train or check.</source>
            <translation>这个脚本从未调用 backward()：没有可以训练或检查的一遍。</translation>
        </message>
        <message>
            <source>Type a learning rate to add the update phase and train step by step.</source>
            <translation>输入学习率即可加上参数更新阶段，并一步步训练。</translation>
        </message>
        <message>
            <source>Quiz mode: the numbers of this pass are hidden.</source>
            <translation>测验模式：本轮的数值已隐藏。</translation>
        </message>
        <message>
            <source>Pass {0}: {1}</source>
            <translation>第 {0} 轮：{1}</translation>
        </message>
        <message>
            <source>Pass {0}: {1} · loss = {2}</source>
            <translation>第 {0} 轮：{1} · 损失 = {2}</translation>
        </message>
        <message>
            <source>The loss of this iteration's forward pass</source>
            <translation>本次迭代前向传播得到的损失</translation>
        </message>
        <message>
            <source>The value this iteration's forward pass used</source>
            <translation>本次迭代前向传播所用的值</translation>
        </message>
        <message>
            <source>The gradient the update used (with forget zero_grad(): the sum over all iterations so far)</source>
            <translation>更新所用的梯度（勾选“忘记 zero_grad()”时：至今所有迭代的梯度之和）</translation>
        </message>
        <message>
            <source>{0} → {1} after the update</source>
            <translation>{0} → 更新后 {1}</translation>
        </message>
        <message>
            <source>No PyTorch check: {0}</source>
            <translation>没有 PyTorch 核对：{0}</translation>
        </message>
        <message>
            <source>Checking with torch.optim.SGD…</source>
            <translation>正在用 torch.optim.SGD 核对…</translation>
        </message>
        <message>
            <source>All {0} iterations match torch.optim.SGD ✓</source>
            <translation>全部 {0} 次迭代都与 torch.optim.SGD 一致 ✓</translation>
        </message>
        <message>
            <source>The one iteration matches torch.optim.SGD ✓</source>
            <translation>这一次迭代与 torch.optim.SGD 一致 ✓</translation>
        </message>
        <message>
            <source>{0} of {1} iterations differ from torch.optim.SGD ✗</source>
            <translation>{1} 次迭代中有 {0} 次与 torch.optim.SGD 不一致 ✗</translation>
        </message>
        <message>
            <source>Only a summary of this pass was kept</source>
            <translation>这一遍只保留了摘要</translation>
        </message>
        <message>
            <source>The gradient's norm (only a summary of this pass was kept)</source>
            <translation>梯度的范数（这一遍只保留了摘要）</translation>
        </message>
        <message>
            <source>Only a summary of this pass was kept: choose it to run again, keeping it</source>
            <translation>这一遍只保留了摘要：选中它即可重新运行并保留它</translation>
        </message>
        <message>
            <source>Our rule for each node, applied to the recorded values, gives torch's recorded gradient</source>
            <translation>对每个节点，我们的规则作用于记录的数值，得到 torch 记录的梯度</translation>
        </message>
        <message>
            <source>Our rules differ from torch's recorded gradients at: {0}</source>
            <translation>我们的规则与 torch 记录的梯度在这些地方不同：{0}</translation>
        </message>
        <message>
            <source>Checking the kept passes against torch's recorded gradients…</source>
            <translation>正在用 torch 记录的梯度检查保留的各遍……</translation>
        </message>
        <message>
            <source>No pass was kept whole: nothing to check</source>
            <translation>没有完整保留的一遍：无可检查</translation>
        </message>
        <message>
            <source>All {0} kept passes match torch's recorded gradients ✓</source>
            <translation>保留的 {0} 遍全部与 torch 记录的梯度一致 ✓</translation>
        </message>
        <message>
            <source>{0} of {1} kept passes differ from torch's recorded gradients ✗</source>
            <translation>保留的 {1} 遍中有 {0} 遍与 torch 记录的梯度不同 ✗</translation>
        </message>
        <message>
            <source>({0} passes kept as summaries: the loss and each gradient's norm)</source>
            <translation>（{0} 遍只保留了摘要：损失和每个梯度的范数）</translation>
        </message>
        <message>
            <source>Pass {0} of {1} · loss = {2}</source>
            <translation>第 {0} 遍（共 {1} 遍）· loss = {2}</translation>
        </message>
        <message>
            <source>Pass {0} of {1}: {2} · loss = {3}</source>
            <translation>第 {0} 遍（共 {1} 遍）：{2} · loss = {3}</translation>
        </message>
    </context>
    <context>
        <name>TrainingState</name>
        <message>
            <source>Next iteration</source>
            <extracomment>"train N" runs on the GUI thread (each iteration is one small trace): keep N sane where the stepper stands once this is restored (None: keep the position) the program when the run's first iteration was taken (PyTorch starts there) the recording whose passes are the history (a recorded run on screen)</extracomment>
            <translation>下一次迭代</translation>
        </message>
        <message>
            <source>Train {0} iterations</source>
            <translation>训练 {0} 次迭代</translation>
        </message>
    </context>
    <context>
        <name>VariablesState</name>
        <message>
            <source>Remove {0}</source>
            <extracomment>names that are usually parameters: the one-click fix guesses the role by them (the table changes it with a double-click) name → binding added in the table before the program uses it, in order</extracomment>
            <translation>删除 {0}</translation>
        </message>
    </context>
</TS>
